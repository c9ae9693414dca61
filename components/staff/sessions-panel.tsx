"use client";

/**
 * The staff Sessions page: every live sign-in (wallet, staff or not, when, until when, which browser), with
 * "End session" for one and "Sign out everywhere" for all of a wallet's. Ending one takes effect on every
 * app instance at the wallet's next request. Filter by wallet address.
 */
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useId, useState, type FormEvent } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { shortAddress } from "@/lib/wallet/settings";
import { when } from "./labels";
import { sessionsQuery, staffKeys } from "./staff-queries";
import { useStaffAction, type ActionMessage } from "./use-staff-action";

/** "Chrome on Linux"-style words for a User-Agent, or the raw text when it is not recognised. */
function browserName(userAgent: string | null): string {
  if (!userAgent) return "unknown browser";
  const browser = /Edg\//.test(userAgent)
    ? "Edge"
    : /Firefox\//.test(userAgent)
      ? "Firefox"
      : /Chrome\/|Chromium\//.test(userAgent)
        ? "Chrome"
        : /Safari\//.test(userAgent)
          ? "Safari"
          : null;
  const system = /Android/.test(userAgent)
    ? "Android"
    : /iPhone|iPad/.test(userAgent)
      ? "iOS"
      : /Mac OS X/.test(userAgent)
        ? "macOS"
        : /Windows/.test(userAgent)
          ? "Windows"
          : /Linux/.test(userAgent)
            ? "Linux"
            : null;
  if (!browser) return userAgent.slice(0, 60);
  return system ? `${browser} on ${system}` : browser;
}

export function SessionsPanel() {
  const [filter, setFilter] = useState("");
  const [applied, setApplied] = useState("");
  const filterId = useId();
  // the list of the last filter stays up while the new one is read
  const { data: sessions, error } = useQuery({ ...sessionsQuery(applied), placeholderData: keepPreviousData });
  const loadError = error ? error.message : null;
  const { run, busy, message } = useStaffAction(staffKeys.sessions);

  function end(name: string, body: { sessionId: string } | { address: string }, success: (ended: number) => ActionMessage) {
    return run<{ ended: number }>(name, "/api/staff/sessions/end", { method: "POST", body }, (answer) => success(answer.ended));
  }

  function submitFilter(event: FormEvent) {
    event.preventDefault();
    setApplied(filter.trim());
  }

  return (
    <div className="flex flex-col gap-4">
      <form onSubmit={submitFilter} className="flex flex-wrap items-end gap-3" role="search">
        <div className="flex min-w-0 flex-1 flex-col gap-1">
          <label htmlFor={filterId} className="font-medium">
            Wallet address
          </label>
          <input
            id={filterId}
            value={filter}
            onChange={(event) => setFilter(event.target.value)}
            placeholder="0x…"
            className="min-h-11 rounded-lg border border-slate-400 px-3 font-mono text-sm"
            spellCheck={false}
            autoComplete="off"
          />
        </div>
        <Button type="submit" variant="secondary">
          Show
        </Button>
        {applied ? (
          <Button
            variant="link"
            onClick={() => {
              setFilter("");
              setApplied("");
            }}
          >
            Show all
          </Button>
        ) : null}
      </form>

      {message ? (
        <Alert tone={message.tone} title={message.title} testId="sessions-message">
          {message.text}
        </Alert>
      ) : null}
      {loadError ? (
        <Alert tone="error" title="Sessions unavailable" testId="sessions-load-error">
          {loadError}
        </Alert>
      ) : null}
      {!sessions && !loadError ? <p role="status">Loading sessions…</p> : null}
      {sessions && sessions.length === 0 ? <p data-testid="sessions-empty">No one is signed in{applied ? " with this wallet" : ""}.</p> : null}

      {sessions && sessions.length > 0 ? (
        <ul className="flex flex-col gap-3" data-testid="sessions-list">
          {sessions.map((session) => (
            <li key={session.id} className="rounded-xl border border-slate-200 bg-white p-4 shadow-sm" data-testid="session-row">
              <div className="flex flex-wrap items-center justify-between gap-2">
                <p className="font-mono font-semibold" title={session.address}>
                  {shortAddress(session.address)}
                  {session.isStaff ? <span className="ml-2 rounded-full bg-sky-100 px-2 py-0.5 font-sans text-sm font-medium text-sky-950">staff</span> : null}
                  {session.current ? <span className="ml-2 font-sans text-sm font-normal text-ink-muted">(this session)</span> : null}
                </p>
                <div className="flex flex-wrap gap-3">
                  <Button
                    variant="secondary"
                    busy={busy === `one:${session.id}`}
                    onClick={() =>
                      end(`one:${session.id}`, { sessionId: session.id }, () => ({
                        tone: "success",
                        title: "Session ended",
                        text: `${shortAddress(session.address)} is signed out of that browser on every instance.`,
                      }))
                    }
                  >
                    End session
                  </Button>
                  <Button
                    variant="secondary"
                    busy={busy === `all:${session.address}`}
                    onClick={() =>
                      end(`all:${session.address}`, { address: session.address }, (ended) => ({
                        tone: "success",
                        title: "Signed out everywhere",
                        text: `${ended} session${ended === 1 ? "" : "s"} of ${shortAddress(session.address)} ended.`,
                      }))
                    }
                  >
                    Sign out everywhere
                  </Button>
                </div>
              </div>
              <dl className="mt-2 grid gap-1 text-sm text-ink-muted sm:grid-cols-3">
                <div>
                  <dt className="inline font-medium text-slate-700">Signed in </dt>
                  <dd className="inline">{when(session.signedInAt)}</dd>
                </div>
                <div>
                  <dt className="inline font-medium text-slate-700">Until </dt>
                  <dd className="inline">{when(session.expiresAt)}</dd>
                </div>
                <div>
                  <dt className="inline font-medium text-slate-700">Browser </dt>
                  <dd className="inline" title={session.userAgent ?? undefined}>
                    {browserName(session.userAgent)}
                  </dd>
                </div>
              </dl>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
