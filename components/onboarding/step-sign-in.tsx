import { useState, type Ref } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { WrongChainAlert } from "@/components/wallet/wrong-chain-alert";
import { WalletActionError, type WalletActions, type WalletState } from "@/lib/wallet/bridge";
import { chainName, type WalletSettings } from "@/lib/wallet/settings";
import { NoticeBanner } from "./notice-banner";
import { ApiError } from "./onboarding-api";
import type { Notice, Session } from "./onboarding-types";
import { signInWithWallet } from "./sign-in-with-wallet";
import { StepPanel } from "./step-panel";
import { WalletSummary } from "./wallet-summary";

type Failure =
  | { kind: "rejected" }
  | { kind: "siwe_invalid"; message: string }
  | { kind: "wallet"; message: string }
  | { kind: "server"; message: string }
  | { kind: "switch_failed"; message: string };

export function SignInStep({
  headingRef,
  settings,
  wallet,
  actions,
  notice,
  onSignedIn,
  onApiError,
}: {
  headingRef: Ref<HTMLHeadingElement>;
  settings: WalletSettings;
  wallet: Extract<WalletState, { status: "connected" }>;
  actions: WalletActions | null;
  notice: Notice | null;
  onSignedIn: (session: Session) => void;
  onApiError: (error: unknown) => boolean;
}) {
  const [busy, setBusy] = useState<"idle" | "signing" | "switching">("idle");
  const [failure, setFailure] = useState<Failure | null>(null);
  const chainAllowed = settings.chainIds.includes(wallet.chainId);

  async function signIn() {
    if (!actions) return;
    setBusy("signing");
    setFailure(null);
    try {
      onSignedIn(await signInWithWallet(actions, wallet));
    } catch (error) {
      setBusy("idle");
      if (error instanceof WalletActionError) {
        setFailure(error.kind === "rejected" ? { kind: "rejected" } : { kind: "wallet", message: error.message });
      } else if (error instanceof ApiError && error.code === "siwe_invalid") {
        const reason = typeof error.details.reason === "string" ? ` (${error.details.reason.replace(/_/g, " ")})` : "";
        setFailure({ kind: "siwe_invalid", message: `${error.message}${reason}` });
      } else if (!onApiError(error)) {
        setFailure({ kind: "server", message: error instanceof Error ? error.message : "Something went wrong." });
      }
    }
  }

  async function switchTo(chainId: number) {
    if (!actions) return;
    setBusy("switching");
    setFailure(null);
    try {
      await actions.switchChain(chainId);
    } catch (error) {
      setFailure({
        kind: "switch_failed",
        message:
          error instanceof WalletActionError && error.kind === "rejected"
            ? `You declined the switch. Switch your wallet to ${chainName(chainId)} yourself, or try again.`
            : `Your wallet did not switch. Switch it to ${chainName(chainId)} in the wallet itself, then come back.`,
      });
    } finally {
      setBusy("idle");
    }
  }

  const host = typeof window === "undefined" ? "this site" : window.location.host;

  return (
    <StepPanel step="signin" title="Sign in with your wallet" headingRef={headingRef}>
      <NoticeBanner notice={notice} />
      <WalletSummary wallet={wallet} actions={actions} />
      <p className="leading-relaxed text-ink-muted">
        Your wallet will ask you to sign a short message from <span className="font-semibold text-ink">{host}</span>. Signing proves to us
        that you control this wallet; it is not a transaction and costs nothing.
      </p>

      {!chainAllowed ? <WrongChainAlert chainId={wallet.chainId} allowed={settings.chainIds} switching={busy === "switching"} onSwitch={(id) => void switchTo(id)} /> : null}

      {failure ? <SignInFailure failure={failure} /> : null}

      <div>
        <Button busy={busy === "signing"} disabled={!chainAllowed || !actions || busy !== "idle"} onClick={() => void signIn()}>
          {busy === "signing" ? "Waiting for your signature…" : failure && failure.kind !== "switch_failed" ? "Try signing in again" : "Sign in"}
        </Button>
      </div>
    </StepPanel>
  );
}

function SignInFailure({ failure }: { failure: Failure }) {
  switch (failure.kind) {
    case "rejected":
      return (
        <Alert tone="error" title="Sign-in cancelled" testId="signin-error">
          You declined the request in your wallet, so nothing was shared. When you are ready, sign in again.
        </Alert>
      );
    case "siwe_invalid":
      return (
        <Alert tone="error" title="We could not verify your sign-in" testId="signin-error">
          {failure.message} Please sign in again: we will ask for a fresh message.
        </Alert>
      );
    case "wallet":
      return (
        <Alert tone="error" title="Your wallet could not sign" testId="signin-error">
          {failure.message}
        </Alert>
      );
    case "switch_failed":
      return (
        <Alert tone="error" title="The network did not change" testId="signin-error">
          {failure.message}
        </Alert>
      );
    case "server":
      return (
        <Alert tone="error" title="Sign-in did not go through" testId="signin-error">
          {failure.message}
        </Alert>
      );
  }
}
