"use client";
/**
 * The Unblock step (issue 4), shown on the status page once OffBlocks has the wallet's signature: a short
 * form creates the person at Unblock, they sign in to Unblock — with the wallet (a SIWE message the server
 * builds for Unblock's domain) or with a code Unblock emails — and open a EUR or GBP virtual account.
 * Where to start is read from `onboarding.steps.unblock`, so a reload resumes; Unblock's session id never
 * reaches the browser. Loaded on demand (next/dynamic): not part of the page's first load.
 */
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { ProblemAlert } from "@/components/ui/problem-alert";
import { ApiError, providerDown } from "./api-error";
import { unblockApi } from "./onboarding-api";
import type { Onboarding, StepProblem, UnblockCurrency } from "./onboarding-types";
import type { ProviderStepProps } from "./provider-step-props";
import { StepHeading } from "./step-heading";
import { AccountDetails, CurrencyChoice } from "./unblock-account";
import { UnblockDetails } from "./unblock-details-form";
import { UnblockEmailCode } from "./unblock-email-code";
import { loadPendingCurrency, PHASE_TITLE, phaseOf, savePendingCurrency, type UnblockAction } from "./unblock-phase";
import { codeExpiredProblem, codeLockedProblem, endedProblem, isSessionExpired, loginProblem, unblockProblem, withoutAction } from "./unblock-problems";
import { UnblockWalletSignIn } from "./unblock-wallet-sign-in";
import { useProviderStep } from "./use-provider-step";

export default function UnblockStep({
  onboarding,
  session,
  wallet,
  actions,
  onConnect,
  onNeedWallet,
  onOnboarding,
  onSignOutToSwitch,
  onApiError,
  sandbox,
}: ProviderStepProps) {
  const unblock = onboarding.steps.unblock;
  /** Unblock answered that its session ended (401): sign in again, whatever the onboarding still says */
  const [sessionEnded, setSessionEnded] = useState(unblock.status === "session_expired");
  const [way, setWay] = useState<"choose" | "wallet" | "email">(unblock.otpSentAt && unblock.status === "user_created" ? "email" : "choose");
  const [message, setMessage] = useState<string | null>(null);
  /** how many codes were sent in this visit: each one gives a fresh, focused code field */
  const [codeRound, setCodeRound] = useState(0);
  /** the currency the person picked; until then their country's (pounds for the United Kingdom, euros otherwise) */
  const [pickedCurrency, setCurrency] = useState<UnblockCurrency | null>(null);
  const currency: UnblockCurrency = pickedCurrency ?? (unblock.country === "GB" ? "GBP" : "EUR");
  /** the account asked for when the session turned out to have ended: opened once signed in again */
  const [pendingCurrency, setPendingState] = useState<UnblockCurrency | null>(() => (unblock.account ? null : loadPendingCurrency()));
  const setPendingCurrency = (wanted: UnblockCurrency | null) => {
    setPendingState(wanted);
    savePendingCurrency(wanted);
  };
  const [now] = useState(() => Date.now());
  const phase = phaseOf(onboarding, sessionEnded, now);
  const { busy, setBusy, problem, setProblem, headingRef, adoptOnboarding, takeError, act, sign } = useProviderStep<UnblockAction>({
    phase,
    onOnboarding,
    onApiError,
    initialProblem: () => (unblock.status === "session_expired" && !unblock.account ? endedProblem(loadPendingCurrency()) : null),
  });

  /** A failure common to every call, once the page has had its say (the app's session ended: null). */
  function commonProblem(error: unknown, retry: () => void, what: string): StepProblem | null {
    return takeError(error) ? null : unblockProblem(error, retry, what);
  }

  /** Unblock's session ended (4 h, or a newer sign-in elsewhere): sign in again, keeping what was chosen. */
  function sessionExpired(wanted: UnblockCurrency | null, error?: unknown) {
    setSessionEnded(true);
    setWay("choose");
    setMessage(null);
    setPendingCurrency(wanted);
    void adoptOnboarding(error);
    const reason = error instanceof ApiError && typeof error.details.reason === "string" ? error.details.reason : undefined;
    setProblem(endedProblem(wanted, reason));
  }

  // ---- after signing in (either way) ----
  async function signedIn(next: Onboarding) {
    setSessionEnded(false);
    setMessage(null);
    setWay("choose");
    setProblem(null);
    onOnboarding(next);
    if (pendingCurrency && !next.steps.unblock.account) await openAccount(pendingCurrency);
  }

  // ---- the wallet way ----
  async function fetchMessage() {
    setWay("wallet");
    onNeedWallet();
    await act(
      "message",
      async () => setMessage(await unblockApi.message()),
      (error) => {
        setWay("choose");
        if (isSessionExpired(error)) sessionExpired(pendingCurrency, error);
        else setProblem(commonProblem(error, () => void fetchMessage(), "Preparing the Unblock message"));
      },
    );
  }

  async function sendSignature(signature: `0x${string}`) {
    setBusy("login");
    try {
      const next = await unblockApi.login(signature);
      setBusy("idle");
      await signedIn(next);
    } catch (error) {
      setBusy("idle");
      // Unblock not answering is said at once; any other failure goes to the page first (the app's session may have ended)
      if (!providerDown(error, "unblock_unavailable") && takeError(error)) return;
      // the message is single use: a retry signs a fresh one
      setMessage(null);
      setWay("choose");
      setProblem(loginProblem(error, () => void fetchMessage()));
    }
  }

  async function signMessage() {
    if (!message || !actions) return;
    const declined = "You declined the request in your wallet, so nothing was sent to Unblock. Sign again when you are ready, or get a code by email instead.";
    const signature = await sign(actions, message, session.address, declined);
    if (signature) await sendSignature(signature);
  }

  // ---- the email way ----
  async function sendCode() {
    setMessage(null);
    await act(
      "sending_code",
      async () => {
        const next = await unblockApi.sendCode();
        setWay("email");
        setCodeRound((round) => round + 1);
        onOnboarding(next);
      },
      (error) => {
        if (isSessionExpired(error)) sessionExpired(pendingCurrency, error);
        else setProblem(commonProblem(error, () => void sendCode(), "Sending the code"));
      },
    );
  }

  async function verifyCode(entered: string): Promise<"wrong_code" | void> {
    setBusy("verifying");
    setProblem(null);
    try {
      const next = await unblockApi.verifyCode(entered);
      setBusy("idle");
      await signedIn(next);
    } catch (error) {
      setBusy("idle");
      const codeOf = error instanceof ApiError ? error.code : "";
      if (codeOf === "otp_invalid") {
        return "wrong_code";
      } else if (codeOf === "otp_expired") {
        setProblem(codeExpiredProblem());
      } else if (codeOf === "otp_locked" || (error instanceof ApiError && error.status === 429)) {
        setProblem(codeLockedProblem());
      } else if (isSessionExpired(error)) {
        sessionExpired(pendingCurrency, error);
      } else {
        // "Verify code" sends the code the field holds now
        setProblem(withoutAction(commonProblem(error, () => undefined, "Checking the code")));
      }
    }
  }

  // ---- the account ----
  async function openAccount(wanted: UnblockCurrency) {
    await act(
      "opening",
      async () => {
        const next = await unblockApi.openAccount(wanted);
        setPendingCurrency(null);
        onOnboarding(next);
      },
      (error) => {
        if (isSessionExpired(error)) sessionExpired(wanted, error);
        else setProblem(commonProblem(error, () => void openAccount(wanted), `Opening your ${wanted} account`));
      },
    );
  }

  const signInAgain = sessionEnded || unblock.status === "session_expired" || (unblock.status === "session_active" && phase === "signin");
  const title =
    phase === "signin" && signInAgain
      ? "Sign in to Unblock again"
      : phase === "done" && unblock.account
        ? `Your ${unblock.account.currency} account is open`
        : PHASE_TITLE[phase];

  return (
    <section
      aria-labelledby="unblock-heading"
      data-testid="unblock-step"
      data-phase={phase}
      className="flex flex-col gap-4 rounded-xl border border-slate-200 bg-white p-5 shadow-sm sm:p-6"
    >
      <StepHeading id="unblock-heading" kicker={phase === "done" ? "Bank account with Unblock" : "Next: a bank account with Unblock"} headingRef={headingRef}>
        {title}
      </StepHeading>

      {phase === "details" ? <UnblockDetails onOnboarding={onOnboarding} onApiError={onApiError} /> : null}

      {phase === "signin" ? (
        <>
          <p className="leading-relaxed text-ink-muted">
            {signInAgain ? "Sign in to Unblock again" : "Sign in to Unblock"} as{" "}
            <span className="break-words font-semibold text-ink">{unblock.email ?? "you"}</span>: sign a message with your wallet, or type a code Unblock emails
            you. Either way works; neither moves funds.
          </p>
          {problem ? <ProblemAlert problem={problem} testId="unblock-error" /> : null}
          {way === "choose" || (way === "wallet" && !message) ? (
            <div className="flex flex-wrap gap-3">
              <Button busy={busy === "message"} disabled={busy !== "idle"} onClick={() => void fetchMessage()}>
                {busy === "message" ? "Preparing the message…" : "Sign with wallet"}
              </Button>
              <Button variant="secondary" busy={busy === "sending_code"} disabled={busy !== "idle"} onClick={() => void sendCode()}>
                {busy === "sending_code" ? "Sending the code…" : "Email me a code"}
              </Button>
            </div>
          ) : null}
          {way === "wallet" && message ? (
            <UnblockWalletSignIn
              message={message}
              busy={busy}
              wallet={wallet}
              session={session}
              actions={actions}
              onConnect={onConnect}
              onSignOutToSwitch={onSignOutToSwitch}
              onSign={() => void signMessage()}
              onEmailInstead={() => void sendCode()}
            />
          ) : null}
          {way === "email" ? (
            <UnblockEmailCode
              key={codeRound}
              email={unblock.email}
              sentAt={unblock.otpSentAt}
              mailboxHref={sandbox && unblock.email ? `/sandbox/mailbox?email=${encodeURIComponent(unblock.email)}` : undefined}
              busy={busy}
              focusOnMount={codeRound > 0}
              onVerify={verifyCode}
              onResend={() => void sendCode()}
              onWalletInstead={() => void fetchMessage()}
            />
          ) : null}
          {pendingCurrency ? (
            <p className="text-sm text-ink-muted" data-testid="unblock-pending">
              Once you are signed in, we open your {pendingCurrency} account.
            </p>
          ) : null}
        </>
      ) : null}

      {phase === "account" ? (
        <>
          <p className="leading-relaxed text-ink-muted">
            You are signed in to Unblock
            {unblock.sessionExpiresAt ? ` until ${new Date(unblock.sessionExpiresAt).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" })}` : ""}.
            Choose the currency of your virtual account: money paid into it arrives in your wallet.
          </p>
          {problem ? <ProblemAlert problem={problem} testId="unblock-error" /> : null}
          <CurrencyChoice currency={currency} onChange={setCurrency} />
          <div>
            <Button busy={busy === "opening"} disabled={busy !== "idle"} onClick={() => void openAccount(currency)}>
              {busy === "opening" ? `Opening your ${currency} account…` : `Open my ${currency} account`}
            </Button>
          </div>
        </>
      ) : null}

      {phase === "done" && unblock.account ? <AccountDetails account={unblock.account} /> : null}
    </section>
  );
}
