"use client";
/**
 * The optional Bloq step (issue 5), on the status page once OffBlocks has the wallet's signature: link the
 * person's Bloq staking account by signing Bloq's own sign-in text. The text is shown before the wallet
 * opens; Bloq's stake token stays on the server (the page only learns when the link runs out). "Skip" is
 * always there (remembered in this browser), a wallet Bloq does not know (404) is explained in Bloq's
 * plain words, and where to start is read from `onboarding.steps.bloq`, so a reload resumes. Loaded on
 * demand (next/dynamic): not part of the page's first load.
 */
import { useEffect, useEffectEvent, useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { ProblemAlert } from "@/components/ui/problem-alert";
import { ApiError } from "./api-error";
import { bloqApi } from "./onboarding-api";
import { type BloqAction, linkLive, loadSkipped, NOT_ALLOWED_TEXT, phaseOf, saveSkipped, TITLE, when } from "./bloq-phase";
import { bloqProblem, messageExpiredProblem, messageRequiredProblem, signatureRefusedProblem } from "./bloq-problems";
import { BloqSignMessage } from "./bloq-sign-message";
import type { StepProblem } from "./onboarding-types";
import type { ProviderStepProps } from "./provider-step-props";
import { StepHeading } from "./step-heading";
import { useProviderStep } from "./use-provider-step";

export default function BloqStep({
  onboarding,
  session,
  wallet,
  actions,
  onConnect,
  onNeedWallet,
  onOnboarding,
  onSignOutToSwitch,
  onApiError,
}: ProviderStepProps) {
  const bloq = onboarding.steps.bloq;
  // skipped in this browser before: stays skipped (the component only renders in the browser)
  const [skipped, setSkippedState] = useState(() => loadSkipped(session.address));
  /** the message fetched in this visit (the onboarding's own `message` covers a reload) */
  const [fetched, setFetched] = useState<string | null>(null);
  /** Bloq's own plain words for a wallet it does not know (from the 404) */
  const [notAllowedText, setNotAllowedText] = useState<string | null>(null);
  const [now, setNow] = useState(() => Date.now());
  const message = bloq.status === "message_issued" ? (bloq.message ?? fetched) : null;
  const phase = phaseOf(bloq, message, skipped, now);
  const expired = bloq.status === "linked" && !linkLive(bloq, now);
  const { busy, problem, setProblem, headingRef, adoptOnboarding, takeError, act, sign } = useProviderStep<BloqAction>({
    phase,
    onOnboarding,
    onApiError,
  });

  // a message awaiting its signature (after a reload too): bring the wallet back for it
  const needWallet = useEffectEvent(() => onNeedWallet());
  useEffect(() => {
    if (phase === "sign") needWallet();
  }, [phase]);

  // the link runs out while the page is open: offer to link again
  useEffect(() => {
    if (bloq.status !== "linked" || !bloq.tokenExpiresAt) return;
    const delay = Date.parse(bloq.tokenExpiresAt) - Date.now() + 500;
    if (!Number.isFinite(delay) || delay <= 0 || delay > 2_147_483_647) return;
    const timer = window.setTimeout(() => setNow(Date.now()), delay);
    return () => window.clearTimeout(timer);
  }, [bloq.status, bloq.tokenExpiresAt]);

  function setSkipped(value: boolean) {
    setSkippedState(value);
    saveSkipped(session.address, value);
    setProblem(null);
  }

  async function notAllowed(error: ApiError) {
    setFetched(null);
    setNotAllowedText(error.message);
    if (!(await adoptOnboarding(error))) onOnboarding({ ...onboarding, steps: { ...onboarding.steps, bloq: { status: "not_allowed" } } });
  }

  /** A failure common to both calls, once the page has had its say (the app's session ended: null). */
  function commonProblem(error: unknown, retry: () => void): StepProblem | null {
    // every Bloq error carries the onboarding: show where things stand
    return takeError(error) ? null : bloqProblem(error, retry);
  }

  async function fetchMessage() {
    onNeedWallet();
    await act(
      "message",
      async () => {
        const text = await bloqApi.message();
        setFetched(text);
        setNotAllowedText(null);
        onOnboarding({ ...onboarding, steps: { ...onboarding.steps, bloq: { status: "message_issued", message: text } } });
      },
      async (error) => {
        if (error instanceof ApiError && error.code === "bloq_address_not_allowed") {
          await notAllowed(error);
        } else if (error instanceof ApiError && error.code === "bloq_already_linked") {
          setProblem({ tone: "info", title: "Already linked", text: error.message });
          await adoptOnboarding(error);
        } else {
          setProblem(commonProblem(error, () => void fetchMessage()));
        }
      },
    );
  }

  const sendSignature = (signature: `0x${string}`) =>
    act(
      "login",
      async () => {
        const next = await bloqApi.login(signature);
        setFetched(null);
        onOnboarding(next);
      },
      (error) => loginFailed(error),
    );

  async function loginFailed(error: unknown) {
    const code = error instanceof ApiError ? error.code : "";
    if (error instanceof ApiError && code === "bloq_address_not_allowed") {
      await notAllowed(error);
      return;
    }
    if (code === "signature_invalid") {
      const next = await adoptOnboarding(error);
      const fresh = next?.steps.bloq.message;
      if (fresh) setFetched(fresh);
      setProblem(signatureRefusedProblem(error));
      return;
    }
    if (code === "bloq_message_expired") {
      const next = await adoptOnboarding(error);
      const fresh = next?.steps.bloq.message;
      // Bloq's fresh message is shown to sign; without one, a new one is asked for
      setFetched(fresh || null);
      setProblem(messageExpiredProblem(!!fresh, () => void fetchMessage()));
      return;
    }
    if (code === "bloq_message_required") {
      void adoptOnboarding(error);
      setFetched(null);
      setProblem(messageRequiredProblem(error, () => void fetchMessage()));
      return;
    }
    // the message was spent on the way: a retry asks Bloq for a fresh one
    setFetched(null);
    setProblem(commonProblem(error, () => void fetchMessage()));
  }

  async function signMessage() {
    if (!message || !actions) return;
    const signature = await sign(
      actions,
      message,
      session.address,
      "You declined the request in your wallet, so nothing was sent to Bloq. Sign again when you are ready, or skip this step.",
    );
    if (signature) await sendSignature(signature);
  }

  const skipButton = (
    <Button variant="secondary" disabled={busy === "signing" || busy === "login"} onClick={() => setSkipped(true)}>
      Skip this step
    </Button>
  );

  return (
    <section
      aria-labelledby="bloq-heading"
      data-testid="bloq-step"
      data-phase={phase}
      data-status={bloq.status}
      className="flex flex-col gap-4 rounded-xl border border-slate-200 bg-white p-5 shadow-sm sm:p-6"
    >
      <StepHeading id="bloq-heading" kicker="Optional: staking with Bloq" headingRef={headingRef}>
        {TITLE[phase]}
      </StepHeading>

      {phase === "offer" ? (
        <>
          <p className="leading-relaxed text-ink-muted">
            If you stake with Bloq, you can link that account to this wallet by signing one message Bloq writes. It is optional: skip it and nothing else
            changes.
          </p>
          {expired && bloq.tokenExpiresAt ? (
            <Alert tone="info" title="Your earlier link has run out" testId="bloq-expired">
              The link to your staking account lasted until {when(bloq.tokenExpiresAt)}. Link it again to carry on.
            </Alert>
          ) : null}
          {bloq.status === "failed" && !problem ? (
            <Alert tone="warning" title="The last attempt did not finish">
              Bloq did not complete the link. Ask for a new message to try again; each one can be signed once.
            </Alert>
          ) : null}
          {problem ? <ProblemAlert problem={problem} testId="bloq-error" /> : null}
          <div className="flex flex-wrap gap-3">
            {/* after a failure, its own button ("Ask Bloq again") is the way on */}
            {problem?.action && busy === "idle" ? null : (
              <Button busy={busy === "message"} disabled={busy !== "idle"} onClick={() => void fetchMessage()}>
                {busy === "message" ? "Asking Bloq for your message…" : "Link staking account"}
              </Button>
            )}
            {skipButton}
          </div>
        </>
      ) : null}

      {phase === "sign" && message ? (
        <>
          <p className="leading-relaxed text-ink-muted">Read Bloq’s message first; your wallet opens only when you press “Sign Bloq’s message”.</p>
          {problem ? <ProblemAlert problem={problem} testId="bloq-error" /> : null}
          <BloqSignMessage
            message={message}
            busy={busy}
            wallet={wallet}
            session={session}
            actions={actions}
            onConnect={onConnect}
            onSignOutToSwitch={onSignOutToSwitch}
            onSign={() => void signMessage()}
          />
          <p className="flex flex-wrap items-center gap-x-3 gap-y-2 text-sm text-ink-muted">Not now? {skipButton}</p>
        </>
      ) : null}

      {phase === "not_allowed" ? (
        <>
          <Alert tone="warning" title="Bloq does not know this wallet" testId="bloq-not-allowed">
            {notAllowedText ?? NOT_ALLOWED_TEXT}
          </Alert>
          {problem ? <ProblemAlert problem={problem} testId="bloq-error" /> : null}
          <p className="text-sm leading-relaxed text-ink-muted">
            Nothing was signed or sent from your wallet, and the rest of your onboarding is not affected.
          </p>
          <div className="flex flex-wrap gap-3">
            <Button onClick={() => setSkipped(true)} disabled={busy !== "idle"}>
              Skip this step
            </Button>
            <Button variant="secondary" busy={busy === "message"} disabled={busy !== "idle"} onClick={() => void fetchMessage()}>
              {busy === "message" ? "Checking with Bloq…" : "Check again"}
            </Button>
          </div>
        </>
      ) : null}

      {phase === "linked" ? (
        <div data-testid="bloq-linked">
          <Alert tone="success" title="Linked to Bloq">
            Bloq accepted your signature. The link lasts until{" "}
            <span className="font-semibold" data-testid="bloq-expires">
              {bloq.tokenExpiresAt ? when(bloq.tokenExpiresAt) : "Bloq ends it"}
            </span>
            ; after that, you can link again here. Coming back to this page shows this status again.
          </Alert>
        </div>
      ) : null}

      {phase === "skipped" ? (
        <>
          <p className="leading-relaxed text-ink-muted" role="status">
            You skipped linking a Bloq staking account. Nothing else depends on it; you can link it whenever you like.
          </p>
          <div>
            <Button variant="secondary" onClick={() => setSkipped(false)}>
              Link it after all
            </Button>
          </div>
        </>
      ) : null}
    </section>
  );
}
