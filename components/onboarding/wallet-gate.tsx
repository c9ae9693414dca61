/** The sign button of a provider step, shown only when the wallet holding the signed-in account is connected; otherwise the way there. */
import type { ReactNode } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import type { WalletActions, WalletState } from "@/lib/wallet/bridge";
import { sameAddress, shortAddress } from "@/lib/wallet/settings";
import type { Session } from "./onboarding-types";
import { WalletSummary } from "./wallet-summary";

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
  children: ReactNode;
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
        <span className="font-mono font-semibold">{shortAddress(wallet.address)}</span>. Switch back to the first account in your wallet, or sign out and sign
        in again with this one.
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
