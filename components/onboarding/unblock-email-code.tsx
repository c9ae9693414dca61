/**
 * Signing in to Unblock with a code Unblock emails: the code field (checked for 4 to 6 digits before it is
 * sent, and marked when Unblock says it is wrong), until when the code is valid (and, once that has passed, that
 * it has expired), a new code, or the wallet instead. This form's "Email me a new code" is the one way to a new
 * code: the step's problems about the code (expired, locked) point to it rather than repeat it.
 */
import { useEffect, useRef, useState, type FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { describedBy, Field, INPUT_CLASS, inputBorder } from "@/components/ui/field";
import { CODE_VALID_MINUTES, type UnblockBusy } from "./unblock-phase";

/** A time of day in the person's own locale, with its zone (e.g. "14:32 CET"). */
const timeOfDay = (at: Date) => at.toLocaleTimeString(undefined, { hour: "2-digit", minute: "2-digit", timeZoneName: "short" });

/**
 * When the code runs out, and whether it has, re-checked when it does. A code sent during this visit counts from
 * when the form appeared, on this device's clock (a clock that is off by minutes must not call a fresh code
 * expired); one sent before a reload counts from the server's `sentAt`. Unblock remains the judge either way.
 */
function useExpired(sentAt: string | undefined, justSent: boolean): { expiresAt: Date | undefined; expired: boolean } {
  const [shownAt] = useState(() => Date.now());
  const sent = justSent ? shownAt : sentAt && !Number.isNaN(Date.parse(sentAt)) ? Date.parse(sentAt) : undefined;
  const at = sent === undefined ? undefined : sent + CODE_VALID_MINUTES * 60_000;
  const [now, setNow] = useState(shownAt);
  useEffect(() => {
    if (at === undefined) return;
    const timer = window.setTimeout(() => setNow(Date.now()), Math.max(0, at - Date.now()) + 250);
    return () => window.clearTimeout(timer);
  }, [at]);
  return { expiresAt: at === undefined ? undefined : new Date(at), expired: at !== undefined && at <= now };
}

export function UnblockEmailCode({
  email,
  sentAt,
  mailboxHref,
  busy,
  focusOnMount,
  onVerify,
  onResend,
  onWalletInstead,
}: {
  email: string | undefined;
  /** ISO: when the last code was sent (the step's `otpSentAt`) */
  sentAt: string | undefined;
  /** sandbox mode: where the emulator's mailbox shows the code */
  mailboxHref: string | undefined;
  busy: UnblockBusy;
  /** a code was just sent (in this visit): the field takes focus, and the code's 10 minutes start now */
  focusOnMount: boolean;
  /** sends the code; resolves to `wrong_code` when Unblock says it is not right */
  onVerify: (code: string) => Promise<"wrong_code" | void>;
  onResend: () => void;
  onWalletInstead: () => void;
}) {
  const [code, setCode] = useState("");
  const [codeError, setCodeError] = useState<string | null>(null);
  const codeRef = useRef<HTMLInputElement>(null);
  const { expiresAt, expired } = useExpired(sentAt, focusOnMount);

  useEffect(() => {
    if (!focusOnMount) return;
    const timer = window.setTimeout(() => codeRef.current?.focus(), 50);
    return () => window.clearTimeout(timer);
  }, [focusOnMount]);

  async function verify(event: FormEvent) {
    event.preventDefault();
    const entered = code.replace(/\s+/g, "");
    if (!/^\d{4,6}$/.test(entered)) {
      setCodeError("Enter the 4 to 6 digit code from the email.");
      codeRef.current?.focus();
      return;
    }
    setCodeError(null);
    if ((await onVerify(entered)) === "wrong_code") {
      setCodeError("That code is not right. Check the email and type it again, or ask for a new code.");
      codeRef.current?.focus();
    }
  }

  return (
    <form noValidate onSubmit={(e) => void verify(e)} className="flex flex-col gap-4" data-testid="unblock-code-form">
      <p role="status" className="text-ink" data-testid="unblock-code-validity">
        {expired ? (
          <>
            The code sent to <span className="break-words font-semibold">{email ?? "your email address"}</span> has expired. Ask for a new one below.
          </>
        ) : (
          <>
            We asked Unblock to email a code to <span className="break-words font-semibold">{email ?? "your email address"}</span>.{" "}
            {expiresAt ? `It works until ${timeOfDay(expiresAt)}.` : `It works for ${CODE_VALID_MINUTES} minutes.`}
          </>
        )}
      </p>
      {mailboxHref ? (
        <p className="text-sm text-ink-muted">
          Sandbox mode: no real email is sent.{" "}
          <a href={mailboxHref} target="_blank" rel="noopener" className="font-medium text-brand underline underline-offset-2 hover:text-brand-dark">
            Open the sandbox mailbox
          </a>{" "}
          (in a new tab) to read the code.
        </p>
      ) : null}
      <Field id="unblock-code" label="Code from the email" error={codeError ?? undefined}>
        <input
          id="unblock-code"
          ref={codeRef}
          className={`${INPUT_CLASS} max-w-48 font-mono tracking-widest ${inputBorder(codeError)}`}
          inputMode="numeric"
          autoComplete="one-time-code"
          maxLength={8}
          value={code}
          onChange={(e) => {
            setCode(e.target.value);
            if (codeError) setCodeError(null);
          }}
          aria-invalid={codeError ? true : undefined}
          aria-describedby={describedBy("unblock-code", codeError)}
        />
      </Field>
      <div className="flex flex-wrap items-center gap-3">
        <Button type="submit" busy={busy === "verifying"} disabled={busy !== "idle"}>
          {busy === "verifying" ? "Checking the code…" : "Verify code"}
        </Button>
        <Button
          variant="secondary"
          busy={busy === "sending_code"}
          disabled={busy !== "idle"}
          onClick={() => {
            setCodeError(null);
            onResend();
          }}
        >
          Email me a new code
        </Button>
        <Button variant="link" disabled={busy !== "idle"} onClick={onWalletInstead}>
          Sign with wallet instead
        </Button>
      </div>
    </form>
  );
}
