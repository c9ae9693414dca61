"use client";
/**
 * The onboarding stepper: Connect → Sign in → Verify with OffBlocks → Status & Unblock (OffBlocks' progress,
 * then the Unblock account and the optional Bloq staking link, each loaded on demand). What the server says (GET
 * /api/auth/session, GET /api/onboarding) decides the step, so a reload resumes where the person was; a first
 * visit (no session cookie) starts at Connect, already in the server's HTML, and asks nothing. The
 * wallet layer is not part of this module's imports: it is loaded on demand (load-wallet-runtime) and
 * talks to the page through lib/wallet/bridge.
 */
import { useCallback, useEffect, useRef, useState, type ReactNode } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { useWalletLayer } from "@/components/wallet/use-wallet-layer";
import { walletRemembered } from "@/lib/wallet/bridge";
import { chainName, sameAddress, shortAddress, type WalletSettings } from "@/lib/wallet/settings";
import { currentStep } from "./flow-step";
import { ApiError, onboardingApi } from "./onboarding-api";
import type { Notice, Onboarding, Session } from "./onboarding-types";
import { announceSignOut, useSignOutElsewhere } from "./sign-out-elsewhere";
import { signedOutNotice } from "./signed-out-notice";
import { BloqStep, UnblockStep, unblockAvailable } from "./provider-steps";
import { ConnectStep } from "./step-connect";
import { OffblocksStep } from "./step-offblocks";
import { SignInStep } from "./step-sign-in";
import { StatusStep } from "./step-status";
import { Stepper } from "./stepper";

type ServerState =
  { phase: "loading" } | { phase: "unavailable"; message: string } | { phase: "ready"; session: Session | null; onboarding: Onboarding | null };

/** `newVisitor`: the request had no session cookie, so nobody is signed in: the connect step renders at once (on the server too). */
export function OnboardingFlow({
  settings,
  newVisitor = false,
  beforeSignIn,
}: {
  settings: WalletSettings;
  newVisitor?: boolean;
  /** shown under the steps until the person is signed in (who will ask for a signature), then out of the way */
  beforeSignIn?: ReactNode;
}) {
  const [server, setServer] = useState<ServerState>(newVisitor ? { phase: "ready", session: null, onboarding: null } : { phase: "loading" });
  const [notice, setNotice] = useState<Notice | null>(null);
  // the wallet layer, loaded when the person reaches the connect step (or comes back needing a signature)
  const { wallet, actions, wanted: walletWanted, load: loadWallet, connect, layer: walletLayer } = useWalletLayer(settings);
  const headingRef = useRef<HTMLHeadingElement>(null);

  const session = server.phase === "ready" ? server.session : null;
  const onboarding = server.phase === "ready" ? server.onboarding : null;
  const walletConnected = wallet.status === "connected";
  const step = server.phase === "ready" ? currentStep({ session, onboarding, walletConnected }) : null;

  const prefetchWallet = useCallback(() => loadWallet("prefetch"), [loadWallet]);

  // ---- what the server knows: decides the step on load and on retry ----
  const loadServerState = useCallback(async () => {
    try {
      const current = await onboardingApi.session();
      const existing = current ? await onboardingApi.onboarding() : null;
      setServer({ phase: "ready", session: current, onboarding: existing });
      const needsSignature = current && (!existing || existing.steps.offblocks.status === "challenge_issued");
      // resume with the wallet layer only when a signature is needed, or a wallet was connected before the reload
      if (needsSignature || (!current && walletRemembered(window.localStorage))) loadWallet("resume");
    } catch (error) {
      setServer({ phase: "unavailable", message: error instanceof ApiError ? error.message : "We could not reach the server." });
    }
  }, [loadWallet]);

  useEffect(() => {
    // a new visitor: nothing to ask the server; a wallet connected on an earlier visit comes back
    if (newVisitor) {
      if (walletRemembered(window.localStorage)) loadWallet("resume");
      return;
    }
    // the first look at the server; state is set when it answers
    // eslint-disable-next-line react-hooks/set-state-in-effect
    void loadServerState();
    // only once, on mount
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  const retryServer = () => {
    setServer({ phase: "loading" });
    void loadServerState();
  };

  const setSession = useCallback((next: Session | null, nextOnboarding: Onboarding | null = null) => {
    setServer({ phase: "ready", session: next, onboarding: nextOnboarding });
  }, []);

  const setOnboarding = useCallback((next: Onboarding) => {
    setServer((current) => (current.phase === "ready" ? { ...current, onboarding: next } : current));
  }, []);

  /** A 401 from a signed-in route means the session is gone: back to sign-in, saying why. True when handled here. */
  const handleApiError = useCallback(
    (error: unknown): boolean => {
      // (Unblock's own session ending, `unblock_session_expired`, is not ours: the Unblock step offers to sign in to Unblock again)
      if (error instanceof ApiError && error.status === 401 && error.code !== "siwe_invalid" && !error.code.startsWith("unblock_")) {
        setSession(null);
        setNotice(signedOutNotice(error.details.reason));
        return true;
      }
      return false;
    },
    [setSession],
  );

  const signOut = useCallback(
    async (options: { disconnectWallet: boolean; notice?: Notice }) => {
      try {
        await onboardingApi.logout();
      } catch {
        // signed out locally either way; the cookie expires on its own
      }
      announceSignOut();
      if (options.disconnectWallet) await actions?.disconnect();
      setSession(null);
      setNotice(options.notice ?? null);
    },
    [actions, setSession],
  );

  // another tab of this browser signed out: so is this one
  const signedOutElsewhere = useCallback(() => {
    setSession(null);
    setNotice(signedOutNotice("signed_out_elsewhere"));
  }, [setSession]);
  useSignOutElsewhere(session !== null, signedOutElsewhere);

  // ---- switching account in the wallet signs out ----
  const lastWalletAddress = useRef<string | undefined>(undefined);
  useEffect(() => {
    if (wallet.status !== "connected") return;
    const previous = lastWalletAddress.current;
    lastWalletAddress.current = wallet.address;
    if (!session || sameAddress(wallet.address, session.address)) return;
    if (previous && sameAddress(previous, session.address)) {
      void signOut({
        disconnectWallet: false,
        notice: {
          tone: "info",
          title: "You switched accounts, so we signed you out",
          text: `Your wallet now uses ${shortAddress(wallet.address)} instead of ${shortAddress(session.address)}. Sign in with the new account to continue, or switch back in your wallet and sign in again.`,
        },
      });
    }
  }, [wallet, session, signOut]);

  // ---- focus follows the step (not on first load: the page reads from the top) ----
  const focusedStep = useRef<string | null>(null);
  useEffect(() => {
    if (!step || wallet.modalOpen) return;
    if (focusedStep.current === null) {
      focusedStep.current = step;
      return;
    }
    if (focusedStep.current === step) return;
    focusedStep.current = step;
    // after the wallet modal has let go of focus
    const timer = window.setTimeout(() => headingRef.current?.focus(), 50);
    return () => window.clearTimeout(timer);
  }, [step, wallet.modalOpen]);

  /**
   * A status poll's answer: only OffBlocks' part is taken, so an answer sent before an Unblock call finished
   * cannot put the Unblock step back to where it was.
   */
  const setPolledOnboarding = useCallback((next: Onboarding) => {
    setServer((current) =>
      current.phase === "ready" && current.onboarding
        ? { ...current, onboarding: { ...current.onboarding, status: next.status, steps: { ...current.onboarding.steps, offblocks: next.steps.offblocks } } }
        : current.phase === "ready"
          ? { ...current, onboarding: next }
          : current,
    );
  }, []);

  const clearNotice = useCallback(() => setNotice(null), []);

  /** What the provider steps after OffBlocks (Unblock, Bloq) are given: the same for both. */
  const providerStepProps = (current: NonNullable<typeof onboarding>, signedIn: NonNullable<typeof session>) => ({
    onboarding: current,
    session: signedIn,
    wallet,
    actions,
    onConnect: connect,
    onNeedWallet: () => loadWallet("resume"),
    onOnboarding: setOnboarding,
    onSignOutToSwitch: () =>
      void signOut({
        disconnectWallet: false,
        notice: { tone: "info", title: "Signed out", text: "Sign in with the account your wallet is using now." },
      }),
    onApiError: handleApiError,
    sandbox: settings.sandbox,
  });
  return (
    <div className="flex flex-col gap-6" data-testid="onboarding-flow" data-step={step ?? server.phase}>
      <Stepper current={step} offblocksStatus={onboarding?.steps.offblocks.status} unblockDone={!!onboarding?.steps.unblock.account} />

      {session ? (
        <div className="flex flex-wrap items-center justify-between gap-x-4 gap-y-2 rounded-lg bg-white px-4 py-2 text-sm text-ink-muted shadow-sm ring-1 ring-slate-200">
          <p data-testid="signed-in-as">
            Signed in as{" "}
            <span className="font-mono font-semibold text-ink" title={session.address}>
              {shortAddress(session.address)}
            </span>{" "}
            on {chainName(session.chainId)}
          </p>
          <Button
            variant="link"
            onClick={() =>
              void signOut({ disconnectWallet: true, notice: { tone: "info", title: "You are signed out", text: "Connect a wallet to start again." } })
            }
          >
            Sign out
          </Button>
        </div>
      ) : null}

      {server.phase === "loading" ? (
        <div role="status" className="flex items-center gap-3 rounded-xl border border-slate-200 bg-white p-6 text-ink-muted shadow-sm">
          <span aria-hidden="true" className="inline-block size-4 animate-spin rounded-full border-2 border-brand border-r-transparent" />
          Checking where you left off…
        </div>
      ) : null}

      {server.phase === "unavailable" ? (
        <Alert tone="error" title="We could not reach the onboarding service" actions={<Button onClick={retryServer}>Try again</Button>}>
          {server.message}
        </Alert>
      ) : null}

      {walletLayer}

      {step === "connect" ? (
        <ConnectStep
          key="connect"
          headingRef={headingRef}
          settings={settings}
          wallet={wallet}
          resuming={walletWanted === "resume"}
          notice={notice}
          onConnect={connect}
          onPrepare={prefetchWallet}
        />
      ) : null}
      {step === "signin" && wallet.status === "connected" ? (
        <SignInStep
          key="signin"
          headingRef={headingRef}
          settings={settings}
          wallet={wallet}
          actions={actions}
          notice={notice}
          onSignedIn={(next) => {
            clearNotice();
            setSession(next);
          }}
          onApiError={handleApiError}
        />
      ) : null}
      {step === "offblocks" && session ? (
        <OffblocksStep
          key="offblocks"
          headingRef={headingRef}
          session={session}
          onboarding={onboarding}
          wallet={wallet}
          actions={actions}
          notice={notice}
          onConnect={connect}
          onOnboarding={(next) => {
            clearNotice();
            setOnboarding(next);
          }}
          onNotice={setNotice}
          onSignOutToSwitch={() =>
            void signOut({
              disconnectWallet: false,
              notice: { tone: "info", title: "Signed out", text: "Sign in with the account your wallet is using now." },
            })
          }
          onApiError={handleApiError}
        />
      ) : null}
      {step === "status" && onboarding ? (
        <StatusStep key="status" headingRef={headingRef} onboarding={onboarding} onOnboarding={setPolledOnboarding} onApiError={handleApiError} />
      ) : null}
      {step === "status" && onboarding && session && unblockAvailable(onboarding) ? (
        <>
          <UnblockStep {...providerStepProps(onboarding, session)} />
          <BloqStep {...providerStepProps(onboarding, session)} />
        </>
      ) : null}
      {step === "connect" || step === "signin" ? beforeSignIn : null}
    </div>
  );
}
