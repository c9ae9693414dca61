import { useEffect, useEffectEvent, useRef, useState, type Ref } from "react";
import { Alert } from "@/components/ui/alert";
import { Button, Spinner } from "@/components/ui/button";
import { WalletActionError, type WalletActions, type WalletState } from "@/lib/wallet/bridge";
import { sameAddress, shortAddress } from "@/lib/wallet/settings";
import { messageDomain } from "./flow-step";
import { NoticeBanner } from "./notice-banner";
import { ApiError, onboardingApi } from "./onboarding-api";
import type { Challenge, Notice, Onboarding, Session } from "./onboarding-types";
import { StepPanel } from "./step-panel";
import { WalletSummary } from "./wallet-summary";

type Failure =
  | { kind: "rejected" }
  | { kind: "signature_invalid"; message: string }
  | { kind: "provider_down"; retry: "prepare" | "send" }
  | { kind: "wallet"; message: string }
  | { kind: "server"; message: string; retry: "prepare" | "send" };

const MAX_TIMER_MS = 2_147_483_647;

function challengeOf(onboarding: Onboarding | null): Challenge | undefined {
  return onboarding?.steps.offblocks.status === "challenge_issued" ? onboarding.steps.offblocks.challenge : undefined;
}

function isExpired(challenge: Challenge, now = Date.now()): boolean {
  const expiresAt = Date.parse(challenge.expiresAt);
  return Number.isFinite(expiresAt) && expiresAt <= now;
}

function providerDown(error: unknown): boolean {
  return error instanceof ApiError && (error.code === "offblocks_unavailable" || error.status === 502 || error.status === 503 || error.status === 504);
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
  const [busy, setBusy] = useState<"idle" | "preparing" | "signing" | "sending">("idle");
  const [failure, setFailure] = useState<Failure | null>(null);
  const pendingSignature = useRef<`0x${string}` | null>(null);
  const challenge = challengeOf(onboarding);

  /** Creates the onboarding (first visit) or fetches a fresh challenge (none, or expired). */
  async function prepare(reason: "start" | "expired") {
    setBusy("preparing");
    setFailure(null);
    let next: Onboarding;
    try {
      next = onboarding ? await onboardingApi.newChallenge() : await onboardingApi.startOnboarding();
    } catch (error) {
      setBusy("idle");
      if (onApiError(error)) return;
      if (providerDown(error)) setFailure({ kind: "provider_down", retry: "prepare" });
      else setFailure({ kind: "server", message: error instanceof Error ? error.message : "Something went wrong.", retry: "prepare" });
      return;
    }
    setBusy("idle");
    onOnboarding(next);
    if (reason === "expired") {
      onNotice({ tone: "info", title: "We fetched a new message", text: "The previous OffBlocks message expired before it was signed. Check the new one below and sign it." });
    }
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
      return onOnboarding({ ...onboarding, steps: { ...onboarding.steps, offblocks: { ...onboarding.steps.offblocks, status: "challenge_issued", challenge: fresh.challenge } } });
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
          onNotice({ tone: "info", title: "That message had expired, so we fetched a new one", text: "OffBlocks messages are valid for a limited time. Check the new message below and sign it." });
        } catch (refreshError) {
          if (!onApiError(refreshError)) setFailure(providerDown(refreshError) ? { kind: "provider_down", retry: "prepare" } : { kind: "server", message: "We could not fetch a new message.", retry: "prepare" });
        }
        return;
      }
      if (error instanceof ApiError && error.code === "signature_invalid") {
        pendingSignature.current = null;
        setFailure({ kind: "signature_invalid", message: error.message });
        try {
          await replaceChallenge(error);
        } catch {
          // the failure above already says what to do; a new challenge is fetched on retry
        }
        return;
      }
      if (providerDown(error)) return setFailure({ kind: "provider_down", retry: "send" });
      setFailure({ kind: "server", message: error instanceof Error ? error.message : "Something went wrong.", retry: "send" });
    }
  }

  async function sign() {
    if (!challenge || !actions) return;
    if (isExpired(challenge)) return void prepare("expired");
    setBusy("signing");
    setFailure(null);
    let signature: `0x${string}`;
    try {
      signature = await actions.signMessage(challenge.message, session.address as `0x${string}`);
    } catch (error) {
      setBusy("idle");
      if (error instanceof WalletActionError && error.kind === "rejected") setFailure({ kind: "rejected" });
      else setFailure({ kind: "wallet", message: error instanceof Error ? error.message : "Your wallet could not sign." });
      return;
    }
    pendingSignature.current = signature;
    await send(signature);
  }

  function retry() {
    const retryKind = failure && "retry" in failure ? failure.retry : "prepare";
    if (retryKind === "send" && pendingSignature.current) return void send(pendingSignature.current);
    if (!challenge || isExpired(challenge)) return void prepare(onboarding ? "expired" : "start");
    setFailure(null);
  }

  const domain = challenge ? messageDomain(challenge.message) : undefined;
  const host = typeof window === "undefined" ? "this site" : window.location.host;
  const walletMatches = wallet.status === "connected" && sameAddress(wallet.address, session.address);

  return (
    <StepPanel step="offblocks" title="Verify your wallet with OffBlocks" headingRef={headingRef}>
      <NoticeBanner notice={notice} />
      <p className="leading-relaxed text-ink-muted">
        OffBlocks, our card and payments provider, asks you to sign one message to prove this wallet is yours before it opens your account.
        Read it here first; your wallet opens only when you press “Sign with your wallet”.
      </p>

      {busy === "preparing" && !challenge ? (
        <p role="status" className="flex items-center gap-3 text-ink-muted">
          <Spinner className="text-brand" /> Asking OffBlocks for your message…
        </p>
      ) : null}

      {challenge ? (
        <>
          <figure className="flex flex-col gap-2">
            <figcaption className="text-sm font-semibold text-ink">The message OffBlocks asks you to sign</figcaption>
            <pre
              data-testid="offblocks-challenge"
              className="whitespace-pre-wrap break-words rounded-lg bg-slate-900 p-4 font-mono text-[13px] leading-relaxed text-slate-100 sm:text-sm"
            >
              {challenge.message}
            </pre>
          </figure>
          <div className="rounded-lg border-l-4 border-brand bg-brand-light/50 px-4 py-3 text-sm leading-relaxed text-ink" data-testid="domain-explainer">
            <p>
              It names <span className="font-mono font-semibold">{domain ?? "OffBlocks’ own domain"}</span>, OffBlocks’ address, not this site (
              <span className="font-mono">{host}</span>). That is expected: the signature is for OffBlocks, so your wallet may point out that the
              domains differ. We check your signature first, then pass it on. It is not a transaction and costs nothing.
            </p>
            <p className="mt-1 text-ink-muted">
              Valid until {new Date(challenge.expiresAt).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" })}; if it runs out we
              fetch a new one.
            </p>
          </div>
        </>
      ) : null}

      {failure ? <OffblocksFailure failure={failure} onRetry={retry} /> : null}

      {challenge && !(failure && "retry" in failure) ? (
        <WalletGate wallet={wallet} session={session} actions={actions} onConnect={onConnect} onSignOutToSwitch={onSignOutToSwitch}>
          <Button busy={busy === "signing" || busy === "sending"} disabled={busy !== "idle" || !walletMatches} onClick={() => void sign()}>
            {busy === "signing" ? "Waiting for your signature…" : busy === "sending" ? "Sending to OffBlocks…" : failure ? "Sign again" : "Sign with your wallet"}
          </Button>
        </WalletGate>
      ) : null}
    </StepPanel>
  );
}

function OffblocksFailure({ failure, onRetry }: { failure: Failure; onRetry: () => void }) {
  switch (failure.kind) {
    case "rejected":
      return (
        <Alert tone="error" title="Signature cancelled" testId="offblocks-error">
          You declined the request in your wallet, so nothing was sent to OffBlocks. Sign again when you are ready.
        </Alert>
      );
    case "signature_invalid":
      return (
        <Alert tone="error" title="OffBlocks could not accept that signature" testId="offblocks-error">
          {failure.message} The signature must come from the account you signed in with, for exactly this message. We fetched a new message: check
          it and sign again.
        </Alert>
      );
    case "provider_down":
      return (
        <Alert tone="error" title="OffBlocks is not answering right now" testId="offblocks-error" actions={<Button onClick={onRetry}>Try again</Button>}>
          Nothing went wrong on your side{failure.retry === "send" ? ", and your signature is kept for the retry" : ""}. Try again in a moment.
        </Alert>
      );
    case "wallet":
      return (
        <Alert tone="error" title="Your wallet could not sign" testId="offblocks-error">
          {failure.message}
        </Alert>
      );
    case "server":
      return (
        <Alert tone="error" title="That did not go through" testId="offblocks-error" actions={<Button onClick={onRetry}>Try again</Button>}>
          {failure.message}
        </Alert>
      );
  }
}

/** The sign button only when the wallet holding the signed-in account is connected; otherwise the way there. */
export function WalletGate({
  wallet,
  session,
  actions,
  onConnect,
  onSignOutToSwitch,
  children,
}: {
  wallet: WalletState;
  session: Session;
  actions: WalletActions | null;
  onConnect: () => void;
  onSignOutToSwitch: () => void;
  children: React.ReactNode;
}) {
  if (wallet.status === "connected" && !sameAddress(wallet.address, session.address)) {
    return (
      <Alert
        tone="warning"
        title="Your wallet is using a different account"
        testId="wrong-account"
        actions={
          <Button variant="secondary" onClick={onSignOutToSwitch}>
            Sign out and sign in as {shortAddress(wallet.address)}
          </Button>
        }
      >
        You signed in as <span className="font-mono font-semibold">{shortAddress(session.address)}</span>, but your wallet now uses{" "}
        <span className="font-mono font-semibold">{shortAddress(wallet.address)}</span>. Switch back to the first account in your wallet, or sign
        out and sign in again with this one.
      </Alert>
    );
  }
  if (wallet.status === "connected") {
    return (
      <div className="flex flex-col gap-4">
        <WalletSummary wallet={wallet} actions={actions} allowDisconnect={false} />
        <div>{children}</div>
      </div>
    );
  }
  const waiting = wallet.status === "loading" || wallet.status === "reconnecting" || wallet.status === "connecting";
  return (
    <div className="flex flex-col gap-3">
      <p className="text-ink-muted">
        {waiting ? "Connecting your wallet…" : "Connect the wallet you signed in with to sign this message:"}{" "}
        <span className="font-mono font-semibold text-ink">{shortAddress(session.address)}</span>
      </p>
      <div>
        <Button busy={waiting} onClick={onConnect}>
          {waiting ? "Connecting…" : "Connect wallet"}
        </Button>
      </div>
    </div>
  );
}
