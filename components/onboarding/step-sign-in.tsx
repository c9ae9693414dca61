/** The sign-in step: the app's own EIP-4361 message signed by the connected wallet (after switching to an allowed network when needed). */
import { useState, type Ref } from "react";
import { Button } from "@/components/ui/button";
import { ProblemAlert } from "@/components/ui/problem-alert";
import { useChainSwitch } from "@/components/wallet/use-chain-switch";
import { WrongChainAlert } from "@/components/wallet/wrong-chain-alert";
import { WalletActionError, type WalletActions, type WalletState } from "@/lib/wallet/bridge";
import { chainName, type WalletSettings } from "@/lib/wallet/settings";
import { NoticeBanner } from "./notice-banner";
import { ApiError } from "./onboarding-api";
import type { Notice, Session, StepProblem } from "./onboarding-types";
import { signInWithWallet } from "./sign-in-with-wallet";
import { StepPanel } from "./step-panel";
import { WalletSummary } from "./wallet-summary";

/** The last attempt's problem, and whether it was the sign-in (its button then offers to try again) or a network switch. */
type Failure = { problem: StepProblem; of: "signin" | "switch" };

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
  const [signing, setSigning] = useState(false);
  const [failure, setFailure] = useState<Failure | null>(null);
  const { switching, switchTo } = useChainSwitch(actions, {
    onStart: () => setFailure(null),
    onFailure: (error, chainId) =>
      setFailure({
        of: "switch",
        problem: {
          title: "The network did not change",
          text:
            error instanceof WalletActionError && error.kind === "rejected"
              ? `You declined the switch. Switch your wallet to ${chainName(chainId)} yourself, or try again.`
              : `Your wallet did not switch. Switch it to ${chainName(chainId)} in the wallet itself, then come back.`,
        },
      }),
  });
  const busy = switching ? "switching" : signing ? "signing" : "idle";
  const chainAllowed = settings.chainIds.includes(wallet.chainId);

  async function signIn() {
    if (!actions) return;
    setSigning(true);
    setFailure(null);
    try {
      onSignedIn(await signInWithWallet(actions, wallet));
    } catch (error) {
      setSigning(false);
      if (error instanceof WalletActionError) {
        setFailure({
          of: "signin",
          problem:
            error.kind === "rejected"
              ? { title: "Sign-in cancelled", text: "You declined the request in your wallet, so nothing was shared. When you are ready, sign in again." }
              : { title: "Your wallet could not sign", text: error.message },
        });
      } else if (error instanceof ApiError && error.code === "siwe_invalid") {
        const reason = typeof error.details.reason === "string" ? ` (${error.details.reason.replace(/_/g, " ")})` : "";
        setFailure({
          of: "signin",
          problem: { title: "We could not verify your sign-in", text: `${error.message}${reason} Please sign in again: we will ask for a fresh message.` },
        });
      } else if (!onApiError(error)) {
        setFailure({ of: "signin", problem: { title: "Sign-in did not go through", text: error instanceof Error ? error.message : "Something went wrong." } });
      }
    }
  }

  const host = typeof window === "undefined" ? "this site" : window.location.host;

  return (
    <StepPanel step="signin" title="Sign in with your wallet" headingRef={headingRef}>
      <NoticeBanner notice={notice} />
      <WalletSummary wallet={wallet} actions={actions} />
      <p className="leading-relaxed text-ink-muted">
        Your wallet will ask you to sign a short message from <span className="font-semibold text-ink">{host}</span>. Signing proves to us that you control this
        wallet; it is not a transaction and costs nothing.
      </p>

      {!chainAllowed ? (
        <WrongChainAlert chainId={wallet.chainId} allowed={settings.chainIds} switching={busy === "switching"} onSwitch={(id) => void switchTo(id)} />
      ) : null}

      {failure ? <ProblemAlert problem={failure.problem} testId="signin-error" /> : null}

      <div>
        <Button busy={busy === "signing"} disabled={!chainAllowed || !actions || busy !== "idle"} onClick={() => void signIn()}>
          {busy === "signing" ? "Waiting for your signature…" : failure?.of === "signin" ? "Try signing in again" : "Sign in"}
        </Button>
      </div>
    </StepPanel>
  );
}
