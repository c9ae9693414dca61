"use client";
/**
 * The optional Bloq step (issue 5), on the status page once OffBlocks has the wallet's signature: link the
 * person's Bloq staking account by signing Bloq's own sign-in text. The text is shown before the wallet
 * opens; Bloq's stake token stays on the server (the page only learns when the link runs out). "Skip" is
 * always there (remembered in this browser), a wallet Bloq does not know (404) is explained in Bloq's
 * plain words, and where to start is read from `onboarding.steps.bloq`, so a reload resumes. Loaded on
 * demand (next/dynamic): not part of the page's first load.
 */
import { useEffect, useEffectEvent, useRef, useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { walletSignProblem } from "./wallet-sign-problem";
import type { WalletActions, WalletState } from "@/lib/wallet/bridge";
import { sameAddress } from "@/lib/wallet/settings";
import { messageDomain } from "./flow-step";
import { onboardingFromError } from "./api-answers";
import { ApiError, bloqApi } from "./onboarding-api";
import type { BloqStep as BloqStepState, Onboarding, Session } from "./onboarding-types";
import { WalletGate } from "./step-offblocks";

export interface BloqStepProps {
  onboarding: Onboarding;
  session: Session;
  wallet: WalletState;
  actions: WalletActions | null;
  /** connect a wallet (opens RainbowKit's modal, loading the wallet layer first when needed) */
  onConnect: () => void;
  /** load the wallet layer ahead of a signature (it reconnects a remembered wallet) */
  onNeedWallet: () => void;
  onOnboarding: (onboarding: Onboarding) => void;
  onSignOutToSwitch: () => void;
  /** the app's own session ended (handled by the page): true when handled */
  onApiError: (error: unknown) => boolean;
}

type Phase = "offer" | "sign" | "linked" | "not_allowed" | "skipped";
type Busy = "idle" | "message" | "signing" | "login";

/** A failure: its own title and text, and the way on. */
interface Problem {
  title: string;
  text: string;
  tone?: "error" | "warning" | "info";
  action?: { label: string; run: () => void };
}

/** Said when the page reopens on `not_allowed` (the server's own words came with the 404, not with the onboarding). */
const NOT_ALLOWED_TEXT =
  "This wallet is not on Bloq's list of staking customers yet, so it cannot be linked. Ask the merchant to allow it at Bloq (or use a wallet that is allowed), then check again. Linking a staking account is optional: you can skip this step.";

const skipKey = (address: string) => `bloq-skipped:${address.toLowerCase()}`;

function loadSkipped(address: string): boolean {
  try {
    return window.localStorage.getItem(skipKey(address)) === "1";
  } catch {
    return false;
  }
}

function saveSkipped(address: string, skipped: boolean): void {
  try {
    if (skipped) window.localStorage.setItem(skipKey(address), "1");
    else window.localStorage.removeItem(skipKey(address));
  } catch {
    // storage unavailable: skipped for this visit only
  }
}

function linkLive(bloq: BloqStepState, now: number): boolean {
  if (bloq.status !== "linked") return false;
  const expiresAt = bloq.tokenExpiresAt ? Date.parse(bloq.tokenExpiresAt) : Number.NaN;
  return !Number.isFinite(expiresAt) || expiresAt > now;
}

function phaseOf(bloq: BloqStepState, message: string | null, skipped: boolean, now: number): Phase {
  if (linkLive(bloq, now)) return "linked";
  if (skipped) return "skipped";
  if (bloq.status === "not_allowed") return "not_allowed";
  if (message) return "sign";
  return "offer";
}

const TITLE: Record<Phase, string> = {
  offer: "Link your staking account (Bloq)",
  sign: "Sign Bloq’s message",
  linked: "Your staking account is linked",
  not_allowed: "This wallet cannot be linked to Bloq yet",
  skipped: "Staking account: skipped",
};

function when(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString([], { dateStyle: "medium", timeStyle: "short" });
}

function bloqDown(error: unknown): boolean {
  return error instanceof ApiError && (error.code === "bloq_unavailable" || error.status === 502 || error.status === 503 || error.status === 504);
}

export default function BloqStep({ onboarding, session, wallet, actions, onConnect, onNeedWallet, onOnboarding, onSignOutToSwitch, onApiError }: BloqStepProps) {
  const bloq = onboarding.steps.bloq;
  // skipped in this browser before: stays skipped (the component only renders in the browser)
  const [skipped, setSkippedState] = useState(() => loadSkipped(session.address));
  /** the message fetched in this visit (the onboarding's own `message` covers a reload) */
  const [fetched, setFetched] = useState<string | null>(null);
  const [busy, setBusy] = useState<Busy>("idle");
  const [problem, setProblem] = useState<Problem | null>(null);
  /** Bloq's own plain words for a wallet it does not know (from the 404) */
  const [notAllowedText, setNotAllowedText] = useState<string | null>(null);
  const [now, setNow] = useState(() => Date.now());
  const message = bloq.status === "message_issued" ? (bloq.message ?? fetched) : null;
  const phase = phaseOf(bloq, message, skipped, now);
  const expired = bloq.status === "linked" && !linkLive(bloq, now);

  const headingRef = useRef<HTMLHeadingElement>(null);

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

  // focus follows the phase (not on first render: the page reads from the top)
  const shownPhase = useRef(phase);
  useEffect(() => {
    if (shownPhase.current === phase) return;
    shownPhase.current = phase;
    const timer = window.setTimeout(() => headingRef.current?.focus(), 50);
    return () => window.clearTimeout(timer);
  }, [phase]);

  function setSkipped(value: boolean) {
    setSkippedState(value);
    saveSkipped(session.address, value);
    setProblem(null);
  }

  /** The onboarding an error answer carries (every Bloq error has one): show where things stand. */
  function adoptOnboarding(error: unknown): Onboarding | null {
    const next = onboardingFromError(error);
    if (next) onOnboarding(next);
    return next;
  }

  function notAllowed(error: ApiError) {
    setFetched(null);
    setNotAllowedText(error.message);
    if (!adoptOnboarding(error)) onOnboarding({ ...onboarding, steps: { ...onboarding.steps, bloq: { status: "not_allowed" } } });
  }

  /** A failure common to both calls: the app's session, Bloq down, the network, or the server's own words. */
  function commonProblem(error: unknown, retry: () => void): Problem | null {
    if (onApiError(error)) return null;
    adoptOnboarding(error);
    if (bloqDown(error)) {
      return { title: "Bloq is not answering right now", text: "Nothing went wrong on your side. Ask again in a moment, or skip this step and come back later.", action: { label: "Ask Bloq again", run: retry } };
    }
    if (error instanceof ApiError && error.code === "network") {
      return { title: "We could not reach the server", text: "Check your connection and ask again, or skip this step.", action: { label: "Ask Bloq again", run: retry } };
    }
    return { title: "Linking did not go through", text: error instanceof Error ? error.message : "Something went wrong.", action: { label: "Ask Bloq again", run: retry } };
  }

  async function fetchMessage() {
    setBusy("message");
    setProblem(null);
    onNeedWallet();
    try {
      const text = await bloqApi.message();
      setFetched(text);
      setNotAllowedText(null);
      onOnboarding({ ...onboarding, steps: { ...onboarding.steps, bloq: { status: "message_issued", message: text } } });
    } catch (error) {
      if (error instanceof ApiError && error.code === "bloq_address_not_allowed") {
        notAllowed(error);
      } else if (error instanceof ApiError && error.code === "bloq_already_linked") {
        adoptOnboarding(error);
        setProblem({ tone: "info", title: "Already linked", text: error.message });
      } else {
        setProblem(commonProblem(error, () => void fetchMessage()));
      }
    } finally {
      setBusy("idle");
    }
  }

  async function sendSignature(signature: `0x${string}`) {
    setBusy("login");
    try {
      const next = await bloqApi.login(signature);
      setFetched(null);
      onOnboarding(next);
    } catch (error) {
      const code = error instanceof ApiError ? error.code : "";
      if (error instanceof ApiError && code === "bloq_address_not_allowed") {
        notAllowed(error);
        return;
      }
      if (code === "signature_invalid") {
        const next = adoptOnboarding(error);
        const fresh = next?.steps.bloq.message;
        if (fresh) setFetched(fresh);
        setProblem({
          title: "Bloq did not accept that signature",
          text: `${error instanceof Error ? error.message : ""} The signature must come from the wallet you signed in with, for exactly the message shown. Check it and sign again.`,
        });
        return;
      }
      if (code === "bloq_message_expired") {
        const next = adoptOnboarding(error);
        const fresh = next?.steps.bloq.message;
        if (fresh) {
          setFetched(fresh);
          setProblem({ tone: "warning", title: "That message could no longer be used", text: "Bloq asked for a fresh one, shown below: check it and sign again." });
        } else {
          setFetched(null);
          setProblem({ tone: "warning", title: "That message could no longer be used", text: "Each Bloq message works once. Ask for a fresh one.", action: { label: "Ask for a new message", run: () => void fetchMessage() } });
        }
        return;
      }
      if (code === "bloq_message_required") {
        adoptOnboarding(error);
        setFetched(null);
        setProblem({
          tone: "warning",
          title: "Ask for a new message",
          text: `${error instanceof Error ? error.message : ""} Each Bloq message can be signed once.`,
          action: { label: "Ask for a new message", run: () => void fetchMessage() },
        });
        return;
      }
      // the message was spent on the way: a retry asks Bloq for a fresh one
      setFetched(null);
      setProblem(commonProblem(error, () => void fetchMessage()));
    } finally {
      setBusy("idle");
    }
  }

  async function sign() {
    if (!message || !actions) return;
    setBusy("signing");
    setProblem(null);
    let signature: `0x${string}`;
    try {
      signature = await actions.signMessage(message, session.address as `0x${string}`);
    } catch (error) {
      setBusy("idle");
      setProblem(walletSignProblem(error, "You declined the request in your wallet, so nothing was sent to Bloq. Sign again when you are ready, or skip this step."));
      return;
    }
    await sendSignature(signature);
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
      <div>
        <p className="text-sm font-semibold text-brand">Optional: staking with Bloq</p>
        <h2 id="bloq-heading" ref={headingRef} tabIndex={-1} className="mt-1 text-xl font-bold text-ink focus:outline-none focus-visible:outline-3 focus-visible:outline-offset-4 focus-visible:outline-brand">
          {TITLE[phase]}
        </h2>
      </div>

      {phase === "offer" ? (
        <>
          <p className="leading-relaxed text-ink-muted">
            If you stake with Bloq, you can link that account to this wallet by signing one message Bloq writes. It is optional: skip it and
            nothing else changes.
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
          {problem ? <ProblemAlert problem={problem} /> : null}
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
          {problem ? <ProblemAlert problem={problem} /> : null}
          <BloqMessage message={message} />
          <WalletGate wallet={wallet} session={session} actions={actions} onConnect={onConnect} onSignOutToSwitch={onSignOutToSwitch}>
            <Button
              busy={busy === "signing" || busy === "login"}
              disabled={busy !== "idle" || !actions || wallet.status !== "connected" || !sameAddress(wallet.address, session.address)}
              onClick={() => void sign()}
            >
              {busy === "signing" ? "Waiting for your signature…" : busy === "login" ? "Linking at Bloq…" : "Sign Bloq’s message"}
            </Button>
          </WalletGate>
          <p className="flex flex-wrap items-center gap-x-3 gap-y-2 text-sm text-ink-muted">
            Not now? {skipButton}
          </p>
        </>
      ) : null}

      {phase === "not_allowed" ? (
        <>
          <Alert tone="warning" title="Bloq does not know this wallet" testId="bloq-not-allowed">
            {notAllowedText ?? NOT_ALLOWED_TEXT}
          </Alert>
          {problem ? <ProblemAlert problem={problem} /> : null}
          <p className="text-sm leading-relaxed text-ink-muted">Nothing was signed or sent from your wallet, and the rest of your onboarding is not affected.</p>
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

function BloqMessage({ message }: { message: string }) {
  const domain = messageDomain(message);
  const chain = /^Chain ID: (\d+)$/m.exec(message)?.[1];
  const host = typeof window === "undefined" ? "this site" : window.location.host;
  return (
    <>
      <figure className="flex flex-col gap-2">
        <figcaption className="text-sm font-semibold text-ink">The message Bloq asks you to sign</figcaption>
        <pre data-testid="bloq-message" className="whitespace-pre-wrap break-words rounded-lg bg-slate-900 p-4 font-mono text-[13px] leading-relaxed text-slate-100 sm:text-sm">
          {message}
        </pre>
      </figure>
      <div className="rounded-lg border-l-4 border-brand bg-brand-light/50 px-4 py-3 text-sm leading-relaxed text-ink" data-testid="bloq-explainer">
        <p>
          This is Bloq’s own text, word for word. It names <span className="font-mono font-semibold">{domain ?? "Bloq’s address"}</span>, Bloq’s
          address, not this site (<span className="font-mono">{host}</span>), so your wallet may point out that the domains differ.
          {chain ? ` It says chain ${chain === "1" ? "1 (Ethereum)" : chain} because that is where Bloq works; your wallet does not need to switch.` : ""}{" "}
          It is a sign-in, not a transaction: it costs nothing and moves no funds. We check your signature, then pass it to Bloq.
        </p>
      </div>
    </>
  );
}

function ProblemAlert({ problem }: { problem: Problem }) {
  return (
    <Alert
      tone={problem.tone ?? "error"}
      title={problem.title}
      testId="bloq-error"
      actions={problem.action ? <Button onClick={problem.action.run}>{problem.action.label}</Button> : undefined}
    >
      {problem.text}
    </Alert>
  );
}
