"use client";

/**
 * The staff Providers page: one card per provider (configured or sandbox, health, last call, error rate,
 * token expiry), the OffBlocks credentials (signing keyId, webhooks, rotate, revoke behind a typed
 * confirmation), the background job queue and, in sandbox mode, the simulator. Every action answers with a
 * visible message.
 */
import { useCallback, useEffect, useId, useState, type FormEvent } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import type { ProviderCard, ProvidersStatus } from "@/lib/staff/providers";
import { BackgroundJobs } from "./background-jobs";
import { PROVIDER_NAMES } from "./labels";
import { callApi, when } from "./staff-api";

const REVOKE_WORD = "REVOKE";

type Message = { tone: "success" | "error"; title: string; text?: string } | null;

function rate(card: ProviderCard): string {
  if (card.errorRate === null) return "no calls";
  return `${(card.errorRate * 100).toFixed(1)} % (${card.errors} of ${card.calls})`;
}

function randomSecret(): string {
  const bytes = new Uint8Array(32);
  crypto.getRandomValues(bytes);
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function Field({ label, value, testId }: { label: string; value: string; testId?: string }) {
  return (
    <div className="flex flex-col gap-0.5 sm:flex-row sm:gap-2">
      <dt className="font-medium text-slate-700 sm:w-40 sm:shrink-0">{label}</dt>
      <dd className="break-all text-ink" data-testid={testId}>
        {value}
      </dd>
    </div>
  );
}

function ProviderCardView({ card }: { card: ProviderCard }) {
  const headingId = useId();
  return (
    <section aria-labelledby={headingId} className="rounded-xl border border-slate-200 bg-white p-4 shadow-sm" data-testid={`provider-${card.name}`}>
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h2 id={headingId} className="text-lg font-semibold">
          {PROVIDER_NAMES[card.name]}
        </h2>
        <span
          className={`rounded-full px-2.5 py-0.5 text-sm font-medium ${card.health === "ok" ? "bg-emerald-100 text-emerald-900" : "bg-red-100 text-red-900"}`}
        >
          {card.health === "ok" ? "Reachable" : "Down"}
        </span>
      </div>
      <dl className="mt-3 flex flex-col gap-2 text-sm">
        <Field label="Mode" value={card.mode === "sandbox" ? "Sandbox (built-in emulator)" : "Configured (real host)"} testId={`provider-${card.name}-mode`} />
        <Field label="Base URL" value={card.baseUrl} />
        <Field label="Last call" value={card.lastCallAt ? `${when(card.lastCallAt)} (${card.lastCallOutcome})` : "none yet"} />
        <Field label="Error rate (24 h)" value={rate(card)} />
        <Field label="Token expires" value={card.tokenExpiresAt ? when(card.tokenExpiresAt) : card.name === "offblocks" ? "no token yet" : "not applicable"} />
      </dl>
    </section>
  );
}

export function ProvidersPanel() {
  const [status, setStatus] = useState<ProvidersStatus | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [message, setMessage] = useState<Message>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [apiKey, setApiKey] = useState("");
  const [apiSecret, setApiSecret] = useState("");
  const [shownOnce, setShownOnce] = useState<{ apiKey: string; apiSecret: string } | null>(null);
  const [confirm, setConfirm] = useState("");
  const [customerId, setCustomerId] = useState("");
  const [advanceSeconds, setAdvanceSeconds] = useState("3600");
  const ids = { key: useId(), secret: useId(), confirm: useId(), customer: useId(), clock: useId(), revokeHelp: useId(), rotateHelp: useId() };

  const load = useCallback(async () => {
    const result = await callApi<ProvidersStatus>("/api/staff/providers");
    if (result.ok && result.body) {
      setStatus(result.body);
      setLoadError(null);
    } else {
      setLoadError(
        result.status === 401
          ? "Sign in with a staff wallet to see the providers."
          : result.status === 403
            ? "This wallet is not on the staff list."
            : (result.error ?? "The providers could not be loaded."),
      );
    }
  }, []);

  useEffect(() => {
    // the first load of the page's data, from the browser (the session cookie goes with it)
    // eslint-disable-next-line react-hooks/set-state-in-effect
    void load();
  }, [load]);

  async function act<T>(name: string, path: string, init: { method: string; body?: unknown }, success: (body: T) => Message): Promise<boolean> {
    setBusy(name);
    setMessage(null);
    const result = await callApi<T>(path, init);
    setBusy(null);
    if (result.ok && result.body !== null) setMessage(success(result.body));
    else setMessage({ tone: "error", title: "That did not work", text: result.error ?? "Unknown error." });
    await load();
    return result.ok;
  }

  async function rotate(event: FormEvent) {
    event.preventDefault();
    const sent = { apiKey: apiKey.trim(), apiSecret };
    const ok = await act<{ version: number; apiKey: string }>(
      "rotate",
      "/api/staff/providers/offblocks/credentials",
      { method: "POST", body: sent },
      (body) => ({ tone: "success", title: "OffBlocks credentials rotated", text: `Version ${body.version} (API key ${body.apiKey}) is in use now — no restart needed.` }),
    );
    if (ok) {
      setShownOnce(sent);
      setApiKey("");
      setApiSecret("");
    }
  }

  function generate() {
    setApiKey(crypto.randomUUID());
    setApiSecret(randomSecret());
    setShownOnce(null);
  }

  async function revoke(event: FormEvent) {
    event.preventDefault();
    const ok = await act<{ revoked: true }>("revoke", "/api/staff/providers/offblocks/credentials", { method: "DELETE", body: { confirm } }, () => ({
      tone: "success",
      title: "OffBlocks credentials revoked",
      text: "OffBlocks refuses every call now. New credentials from OffBlocks go in .env, then restart the app.",
    }));
    if (ok) setConfirm("");
  }

  async function simulate(outcome: "verify" | "reject") {
    const id = customerId.trim();
    await act<{ onboardingId: string | null }>(outcome, `/api/staff/simulator/customers/${encodeURIComponent(id)}/${outcome}`, { method: "POST", body: {} }, (body) => ({
      tone: "success",
      title: outcome === "verify" ? "Customer verification simulated" : "Customer rejection simulated",
      text: `Customer ${id}${body.onboardingId ? ` (onboarding ${body.onboardingId})` : " (no onboarding of this app)"}: OffBlocks will notify the app by webhook.`,
    }));
  }

  async function advance(event: FormEvent) {
    event.preventDefault();
    await act<{ advanceSeconds: number }>("clock", "/api/staff/simulator/clock", { method: "POST", body: { advanceSeconds: Number(advanceSeconds) } }, (body) => ({
      tone: "success",
      title: "Sandbox clock advanced",
      text: `The sandbox clock moved ${body.advanceSeconds} s forward: tokens, challenges and sessions expire by it.`,
    }));
  }

  const offblocks = status?.offblocks;
  const revoked = offblocks?.revoked ?? false;
  const inputClass = "min-h-11 w-full rounded-lg border border-slate-400 bg-white px-3 py-2 text-base focus-visible:outline-3 focus-visible:outline-brand";

  return (
    <div className="flex flex-col gap-6">
      <div aria-live="polite" className="flex flex-col gap-3">
        {message ? (
          <Alert tone={message.tone} title={message.title} testId="providers-message">
            {message.text}
          </Alert>
        ) : null}
        {loadError ? (
          <Alert tone="error" title="Providers unavailable" testId="providers-load-error">
            {loadError}
          </Alert>
        ) : null}
      </div>

      {!status && !loadError ? <p role="status">Loading providers…</p> : null}

      {status ? (
        <>
          {status.sandbox.enabled ? (
            <p className="text-sm text-slate-700">Sandbox mode: every provider is the built-in emulator.</p>
          ) : null}
          <div className="grid gap-4 md:grid-cols-3">
            {status.providers.map((card) => (
              <ProviderCardView key={card.name} card={card} />
            ))}
          </div>
          <BackgroundJobs jobs={status.jobs} />
        </>
      ) : null}

      {offblocks ? (
        <section aria-labelledby="offblocks-credentials" className="rounded-xl border border-slate-200 bg-white p-4 shadow-sm">
          <h2 id="offblocks-credentials" className="text-lg font-semibold">
            OffBlocks credentials
          </h2>
          <dl className="mt-3 flex flex-col gap-2 text-sm">
            <Field
              label="State"
              value={revoked ? "Revoked" : `Active — version ${offblocks.credentialVersion} (${offblocks.credentialSource === "stored" ? "rotated here" : "from configuration"})`}
              testId="offblocks-credential-state"
            />
            <Field label="API key" value={offblocks.apiKey ?? "—"} testId="offblocks-api-key" />
            <Field label="Signing keyId" value={offblocks.signingKeyId ?? "not registered yet"} testId="offblocks-key-id" />
            <Field label="Key fingerprint" value={offblocks.signingKeyFingerprint} />
            <Field
              label="Webhooks"
              value={
                offblocks.webhooksError ??
                (offblocks.webhooks.length ? offblocks.webhooks.map((w) => `${w.callbackUrl} (${w.types.join(", ")})`).join("; ") : "none registered")
              }
              testId="offblocks-webhooks"
            />
            {offblocks.rotationPending ? <Field label="Rotation" value="A rotation is pending: it completes on the next call." /> : null}
          </dl>

          <form onSubmit={rotate} className="mt-6 flex flex-col gap-3" aria-describedby={ids.rotateHelp}>
            <h3 className="text-base font-semibold">Rotate credentials</h3>
            <p id={ids.rotateHelp} className="text-sm text-slate-700">
              Sends the new key and secret to OffBlocks (<code>PUT /auth/credentials</code>), which invalidates every token issued so far. The app
              switches to them at once; users keep onboarding without a restart.
              {status?.sandbox.enabled ? " The sandbox accepts any UUID key with any secret: generate a pair or type your own." : ""}
            </p>
            <div className="flex flex-col gap-1">
              <label htmlFor={ids.key} className="font-medium">
                New API key (UUID)
              </label>
              <input id={ids.key} name="apiKey" className={inputClass} value={apiKey} onChange={(e) => setApiKey(e.target.value)} autoComplete="off" spellCheck={false} required />
            </div>
            <div className="flex flex-col gap-1">
              <label htmlFor={ids.secret} className="font-medium">
                New API secret
              </label>
              <input
                id={ids.secret}
                name="apiSecret"
                type="password"
                className={inputClass}
                value={apiSecret}
                onChange={(e) => setApiSecret(e.target.value)}
                autoComplete="new-password"
                spellCheck={false}
                required
                minLength={16}
              />
            </div>
            <div className="flex flex-wrap gap-3">
              {status?.sandbox.enabled ? (
                <Button variant="secondary" onClick={generate} disabled={busy !== null}>
                  Generate new credentials
                </Button>
              ) : null}
              <Button type="submit" busy={busy === "rotate"} disabled={busy !== null && busy !== "rotate"}>
                Rotate credentials
              </Button>
            </div>
            {shownOnce ? (
              <Alert tone="warning" title="Store these now — they are shown once" testId="offblocks-new-credentials">
                <p>
                  The app keeps them encrypted in its database, but a fresh database or another deployment reads the configuration: put them in{" "}
                  <code>.env</code> as <code>OFFBLOCKS_API_KEY</code> and <code>OFFBLOCKS_API_SECRET</code>.
                </p>
                <pre className="mt-2 whitespace-pre-wrap break-all rounded bg-white/70 p-2 text-xs" data-testid="offblocks-new-credentials-env">
                  {`OFFBLOCKS_API_KEY=${shownOnce.apiKey}\nOFFBLOCKS_API_SECRET=${shownOnce.apiSecret}`}
                </pre>
              </Alert>
            ) : null}
          </form>

          <form onSubmit={revoke} className="mt-6 flex flex-col gap-3 rounded-lg border border-red-200 bg-red-50/50 p-3" aria-describedby={ids.revokeHelp}>
            <h3 className="text-base font-semibold text-red-900">Revoke credentials</h3>
            <p id={ids.revokeHelp} className="text-sm text-red-950">
              Revokes API access for good (<code>DELETE /auth/credentials</code>): every OffBlocks call fails from then on, and rotating is no
              longer possible. To resume, OffBlocks must issue new credentials: put them in <code>.env</code> (<code>OFFBLOCKS_API_KEY</code>,{" "}
              <code>OFFBLOCKS_API_SECRET</code>) and restart the app. Type <strong>{REVOKE_WORD}</strong> to confirm.
            </p>
            <div className="flex flex-col gap-1">
              <label htmlFor={ids.confirm} className="font-medium">
                Type {REVOKE_WORD} to confirm
              </label>
              <input id={ids.confirm} name="confirm" className={inputClass} value={confirm} onChange={(e) => setConfirm(e.target.value)} autoComplete="off" spellCheck={false} />
            </div>
            <div>
              <Button type="submit" className="!bg-red-700 hover:!bg-red-800" busy={busy === "revoke"} disabled={revoked || confirm !== REVOKE_WORD || (busy !== null && busy !== "revoke")}>
                Revoke credentials
              </Button>
            </div>
          </form>
        </section>
      ) : null}

      {status?.sandbox.enabled ? (
        <section aria-labelledby="sandbox-simulator" className="rounded-xl border border-slate-200 bg-white p-4 shadow-sm">
          <h2 id="sandbox-simulator" className="text-lg font-semibold">
            Sandbox simulator
          </h2>
          <div className="mt-3 flex flex-col gap-3">
            <div className="flex flex-col gap-1">
              <label htmlFor={ids.customer} className="font-medium">
                OffBlocks customer id
              </label>
              <input id={ids.customer} name="customerId" className={inputClass} value={customerId} onChange={(e) => setCustomerId(e.target.value)} autoComplete="off" spellCheck={false} />
            </div>
            <div className="flex flex-wrap gap-3">
              <Button variant="secondary" onClick={() => void simulate("verify")} busy={busy === "verify"} disabled={!customerId.trim() || (busy !== null && busy !== "verify")}>
                Verify customer
              </Button>
              <Button variant="secondary" onClick={() => void simulate("reject")} busy={busy === "reject"} disabled={!customerId.trim() || (busy !== null && busy !== "reject")}>
                Reject customer
              </Button>
            </div>
          </div>
          <form onSubmit={advance} className="mt-6 flex flex-col gap-3">
            <div className="flex flex-col gap-1">
              <label htmlFor={ids.clock} className="font-medium">
                Advance the sandbox clock by (seconds)
              </label>
              <input
                id={ids.clock}
                name="advanceSeconds"
                type="number"
                min={1}
                step={1}
                inputMode="numeric"
                className={inputClass}
                value={advanceSeconds}
                onChange={(e) => setAdvanceSeconds(e.target.value)}
              />
            </div>
            <div>
              <Button type="submit" variant="secondary" busy={busy === "clock"} disabled={busy !== null && busy !== "clock"}>
                Advance clock
              </Button>
            </div>
          </form>
        </section>
      ) : null}
    </div>
  );
}
