/**
 * The sandbox's mailbox as a page (sandbox mode only; a 404 otherwise): the emails Unblock's emulator "sent" to
 * an address — the sign-in codes — newest first, so a developer on a fresh clone reads the code here instead of
 * in raw JSON. Linked from the email-code step.
 */
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { buttonClassName } from "@/components/ui/button";
import { INPUT_CLASS } from "@/components/ui/field";
import { sandboxMailbox, sandboxMailboxAvailable } from "@/lib/sandbox-mailbox";

export const metadata: Metadata = { title: "Sandbox mailbox · Wallet onboarding" };

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export default async function SandboxMailboxPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  if (!sandboxMailboxAvailable()) notFound();
  const asked = (await searchParams).email;
  const email = typeof asked === "string" ? asked.trim().slice(0, 254) : "";
  const valid = EMAIL.test(email);
  const mails = valid ? await sandboxMailbox(email) : [];
  return (
    <main className="mx-auto flex max-w-2xl flex-col gap-6 px-4 py-10 sm:px-5 sm:py-12">
      <header className="flex flex-col gap-2">
        <p className="text-sm font-semibold uppercase tracking-wide text-brand">Wallet onboarding · sandbox</p>
        <h1 className="text-2xl font-bold text-ink sm:text-3xl">Sandbox mailbox</h1>
        <p className="text-base leading-relaxed text-ink-muted">
          The emails the built-in Unblock sends, such as sign-in codes. Nothing here leaves this machine; with real providers the codes go to real inboxes.
        </p>
      </header>
      <form method="get" className="flex flex-wrap items-end gap-3">
        <div className="flex min-w-0 flex-1 flex-col">
          <label htmlFor="mailbox-email" className="text-sm font-semibold text-ink">
            Email address
          </label>
          <input id="mailbox-email" name="email" type="email" defaultValue={email} className={INPUT_CLASS} autoComplete="email" />
        </div>
        <button type="submit" className={buttonClassName("primary")}>
          {valid ? "Check again" : "Open"}
        </button>
      </form>
      {email && !valid ? <p className="text-red-800">That is not an email address.</p> : null}
      {valid && mails === undefined ? (
        <p className="text-red-800" data-testid="mailbox-unavailable">
          The sandbox did not answer. Is it running? (`npm start` starts it.)
        </p>
      ) : null}
      {valid && mails?.length === 0 ? (
        <p className="text-ink-muted" data-testid="mailbox-empty">
          No email to {email} yet. Ask for a code on the onboarding page, then check again.
        </p>
      ) : null}
      {mails?.length ? (
        <ol className="flex flex-col gap-4" data-testid="mailbox-items">
          {mails.map((mail, index) => (
            <li key={`${mail.sentAt}-${index}`} className="rounded-xl border border-slate-200 bg-white p-5 shadow-sm" data-testid="mailbox-item">
              <p className="text-sm text-ink-muted">
                To {mail.to} · <time dateTime={mail.sentAt}>{mail.sentAt.replace("T", " ").replace(/\.\d+Z$|Z$/, " UTC")}</time>
                {index === 0 ? " · newest" : ""}
              </p>
              <h2 className="mt-1 text-lg font-semibold text-ink">{mail.subject}</h2>
              {mail.code ? (
                <p className="mt-3 font-mono text-3xl font-bold tracking-widest text-ink" data-testid="mailbox-code">
                  {mail.code}
                </p>
              ) : null}
              <p className="mt-3 whitespace-pre-wrap text-ink-muted">{mail.body}</p>
            </li>
          ))}
        </ol>
      ) : null}
    </main>
  );
}
