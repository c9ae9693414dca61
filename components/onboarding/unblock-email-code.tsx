/**
 * Signing in to Unblock with a code Unblock emails: the code field (checked for 4 to 6 digits before it is
 * sent, and marked when Unblock says it is wrong), a new code, or the wallet instead.
 */
import { useEffect, useRef, useState, type FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { describedBy, Field, INPUT_CLASS, inputBorder } from "@/components/ui/field";
import type { UnblockBusy } from "./unblock-phase";

export function UnblockEmailCode({
  email,
  busy,
  focusOnMount,
  onVerify,
  onResend,
  onWalletInstead,
}: {
  email: string | undefined;
  busy: UnblockBusy;
  /** a code was just sent: the field takes focus */
  focusOnMount: boolean;
  /** sends the code; resolves to `wrong_code` when Unblock says it is not right */
  onVerify: (code: string) => Promise<"wrong_code" | void>;
  onResend: () => void;
  onWalletInstead: () => void;
}) {
  const [code, setCode] = useState("");
  const [codeError, setCodeError] = useState<string | null>(null);
  const codeRef = useRef<HTMLInputElement>(null);

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
      <p role="status" className="text-ink">
        We asked Unblock to email a code to <span className="break-words font-semibold">{email ?? "your email address"}</span>. It is valid for 10 minutes.
      </p>
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
