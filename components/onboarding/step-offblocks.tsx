/**
 * The OffBlocks step: OffBlocks' challenge shown and explained before the wallet opens, signed, and sent on.
 * A challenge that runs out is replaced on its own; a failed send keeps the signature for the retry.
 */
import { useEffect, useEffectEvent, useRef, type Ref } from "react";
import { Button, Spinner } from "@/components/ui/button";
import { ProblemAlert } from "@/components/ui/problem-alert";
import type { WalletActions, WalletState } from "@/lib/wallet/bridge";
import { sameAddress } from "@/lib/wallet/settings";
import { NoticeBanner } from "./notice-banner";
import { ApiError, providerDown } from "./api-error";
import { onboardingApi } from "./onboarding-api";
import type { Challenge, Notice, Onboarding, Session, StepProblem } from "./onboarding-types";
import { SignMessagePanel } from "./sign-message-panel";
import { StepPanel } from "./step-panel";
import { useProviderStep } from "./use-provider-step";
import { WalletGate } from "./wallet-gate";

type Retry = "prepare" | "send";

function providerDownProblem(retry: Retry, run: () => void): StepProblem {
  return {
    title: "OffBlocks is not answering right now",
    text: `Nothing went wrong on your side${retry === "send" ? ", and your signature is kept for the retry" : ""}. Try again in a moment.`,
    action: { label: "Try again", run },
  };
}

function serverProblem(message: string, run: () => void): StepProblem {
  return { title: "That did not go through", text: message, action: { label: "Try again", run } };
}

const MAX_TIMER_MS = 2_147_483_647;

function challengeOf(onboarding: Onboarding | null): Challenge | undefined {
  return onboarding?.steps.offblocks.status === "challenge_issued" ? onboarding.steps.offblocks.challenge : undefined;
}

function isExpired(challenge: Challenge, now = Date.now()): boolean {
  const expiresAt = Date.parse(challenge.expiresAt);
  return Number.isFinite(expiresAt) && expiresAt <= now;
}

export function OffblocksStep({
  headingRef,
  session,
  onboarding,
  wallet,
  actions,
  notice,
  onConnect,
  onOnboarding,
  onNotice,
  onSignOutToSwitch,
  onApiError,
}: {
  headingRef: Ref<HTMLHeadingElement>;
  session: Session;
  onboarding: Onboarding | null;
  wallet: WalletState;
  actions: WalletActions | null;
  notice: Notice | null;
  onConnect: () => void;
  onOnboarding: (onboarding: Onboarding) => void;
  onNotice: (notice: Notice) => void;
  onSignOutToSwitch: () => void;
  onApiError: (error: unknown) => boolean;
}) {
  const { busy, setBusy, problem, setProblem, act, sign } = useProviderStep<"preparing" | "sending">({ onOnboarding, onApiError });
  const pendingSignature = useRef<`0x${string}` | null>(null);
  const challenge = challengeOf(onboarding);

  /** A retry: send the kept signature again, or fetch a (new) challenge when there is no usable one. */
  function retryAfter(retry: Retry) {
    if (retry === "send" && pendingSignature.current) return void send(pendingSignature.current);
    if (!challenge || isExpired(challenge)) return void prepare(onboarding ? "expired" : "start");
    setProblem(null);
  }

  /** What failed, and its retry: send the kept signature again, or fetch a (new) challenge. */
  function failed(error: unknown, retry: Retry, message = error instanceof Error ? error.message : "Something went wrong.") {
    const run = () => retryAfter(retry);
    setProblem(providerDown(error, "offblocks_unavailable") ? providerDownProblem(retry, run) : serverProblem(message, run));
  }

  /** Creates the onboarding (first visit) or fetches a fresh challenge (none, or expired). */
  async function prepare(reason: "start" | "expired") {
    await act(
      "preparing",
      async () => {
        const next = onboarding ? await onboardingApi.newChallenge() : await onboardingApi.startOnboarding();
        setBusy("idle");
        onOnboarding(next);
        if (reason === "expired") {
          onNotice({
            tone: "info",
            title: "We fetched a new message",
            text: "The previous OffBlocks message expired before it was signed. Check the new one below and sign it.",
          });
        }
      },
      (error) => {
        if (!onApiError(error)) failed(error, "prepare");
      },
    );
  }
  const prepareSoon = useEffectEvent((reason: "start" | "expired") => void prepare(reason));

  // no onboarding yet, or no usable challenge: get one (once per situation)
  const needsChallenge = !onboarding || !challenge || isExpired(challenge);
  const asked = useRef(false);
  useEffect(() => {
    if (!needsChallenge || asked.current) return;
    asked.current = true;
    prepareSoon(onboarding && challenge ? "expired" : "start");
  }, [needsChallenge, onboarding, challenge]);

  // the message expires while the person reads it: fetch a new one automatically
  useEffect(() => {
    if (!challenge || isExpired(challenge)) return;
    const delay = Math.min(Date.parse(challenge.expiresAt) - Date.now() + 500, MAX_TIMER_MS);
    const timer = window.setTimeout(() => prepareSoon("expired"), delay);
    return () => window.clearTimeout(timer);
  }, [challenge]);

  /** A fresh challenge from an error answer (or fetched), put in place of the old one. */
  async function replaceChallenge(error: ApiError) {
    const fresh = await onboardingApi.challengeFromError(error);
    if (fresh.onboarding) return onOnboarding(fresh.onboarding);
    if (fresh.challenge && onboarding) {
      return onOnboarding({
        ...onboarding,
        steps: { ...onboarding.steps, offblocks: { ...onboarding.steps.offblocks, status: "challenge_issued", challenge: fresh.challenge } },
      });
    }
    onOnboarding(await onboardingApi.newChallenge());
  }

  async function send(signature: `0x${string}`) {
    setBusy("sending");
    try {
      const next = await onboardingApi.signOffblocks(signature);
      pendingSignature.current = null;
      onOnboarding(next);
    } catch (error) {
      setBusy("idle");
      if (onApiError(error)) return;
      if (error instanceof ApiError && error.code === "challenge_expired") {
        pendingSignature.current = null;
        try {
          await replaceChallenge(error);
          onNotice({
            tone: "info",
            title: "That message had expired, so we fetched a new one",
            text: "OffBlocks messages are valid for a limited time. Check the new message below and sign it.",
          });
        } catch (refreshError) {
          if (!onApiError(refreshError)) failed(refreshError, "prepare", "We could not fetch a new message.");
        }
        return;
      }
      if (error instanceof ApiError && error.code === "signature_invalid") {
        pendingSignature.current = null;
        setProblem({
          title: "OffBlocks could not accept that signature",
          text: `${error.message} The signature must come from the account you signed in with, for exactly this message. We fetched a new message: check it and sign again.`,
        });
        try {
          await replaceChallenge(error);
        } catch {
          // the problem above already says what to do; a new challenge is fetched on retry
        }
        return;
      }
      failed(error, "send");
    }
  }

  async function signChallenge() {
    if (!challenge || !actions) return;
    if (isExpired(challenge)) return void prepare("expired");
    const signature = await sign(
      actions,
      challenge.message,
      session.address,
      "You declined the request in your wallet, so nothing was sent to OffBlocks. Sign again when you are ready.",
    );
    if (!signature) return;
    pendingSignature.current = signature;
    await send(signature);
  }

  const walletMatches = wallet.status === "connected" && sameAddress(wallet.address, session.address);

  return (
    <StepPanel step="offblocks" title="Verify your wallet with OffBlocks" headingRef={headingRef}>
      <NoticeBanner notice={notice} />
      <p className="leading-relaxed text-ink-muted">
        OffBlocks, our card and payments provider, asks you to sign one message to prove this wallet is yours before it opens your account. Read it here first;
        your wallet opens only when you press “Sign with your wallet”.
      </p>

      {busy === "preparing" && !challenge ? (
        <p role="status" className="flex items-center gap-3 text-ink-muted">
          <Spinner className="text-brand" /> Asking OffBlocks for your message…
        </p>
      ) : null}

      {challenge ? (
        <SignMessagePanel
          provider="OffBlocks"
          message={challenge.message}
          messageTestId="offblocks-challenge"
          explainerTestId="domain-explainer"
          explain={({ domain, host }) => (
            <>
              <p>
                It names <span className="font-mono font-semibold">{domain ?? "OffBlocks’ own domain"}</span>, OffBlocks’ address, not this site (
                <span className="font-mono">{host}</span>). That is expected: the signature is for OffBlocks, so your wallet may point out that the domains
                differ. We check your signature first, then pass it on. It is not a transaction and costs nothing.
              </p>
              <p className="mt-1 text-ink-muted">
                Valid until {new Date(challenge.expiresAt).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" })}; if it runs out we fetch a new one.
              </p>
            </>
          )}
        />
      ) : null}

      {problem ? <ProblemAlert problem={problem} testId="offblocks-error" /> : null}

      {challenge && !problem?.action ? (
        <WalletGate wallet={wallet} session={session} actions={actions} onConnect={onConnect} onSignOutToSwitch={onSignOutToSwitch}>
          <Button busy={busy === "signing" || busy === "sending"} disabled={busy !== "idle" || !walletMatches} onClick={() => void signChallenge()}>
            {busy === "signing"
              ? "Waiting for your signature…"
              : busy === "sending"
                ? "Sending to OffBlocks…"
                : problem
                  ? "Sign again"
                  : "Sign with your wallet"}
          </Button>
        </WalletGate>
      ) : null}
    </StepPanel>
  );
}
