/** Signing in to Unblock with the wallet: Unblock's SIWE message shown and explained, then signed, or an emailed code instead. */
import { Button } from "@/components/ui/button";
import { sameAddress } from "@/lib/wallet/settings";
import type { SignPanelProps } from "./provider-step-props";
import { SignMessagePanel } from "./sign-message-panel";
import type { UnblockBusy } from "./unblock-phase";
import { WalletGate } from "./wallet-gate";

export function UnblockWalletSignIn({
  message,
  busy,
  wallet,
  session,
  actions,
  onConnect,
  onSignOutToSwitch,
  onSign,
  onEmailInstead,
}: SignPanelProps<UnblockBusy> & { onEmailInstead: () => void }) {
  const walletMatches = wallet.status === "connected" && sameAddress(wallet.address, session.address);
  return (
    <div className="flex flex-col gap-4">
      <SignMessagePanel
        provider="Unblock"
        message={message}
        messageTestId="unblock-message"
        explainerTestId="unblock-domain-explainer"
        explain={({ domain, chain, host }) => (
          <p>
            It names <span className="font-mono font-semibold">{domain ?? "Unblock’s own domain"}</span>, Unblock’s address, not this site (
            <span className="font-mono">{host}</span>): the signature signs you in at Unblock, so your wallet may point out that the domains differ.
            {chain
              ? ` The chain it names (${chain === "80002" ? "Polygon Amoy, 80002" : chain === "137" ? "Polygon, 137" : chain}) is the one Unblock works on; your wallet does not need to switch.`
              : ""}{" "}
            It is not a transaction, costs nothing and is valid for 4 hours, once.
          </p>
        )}
      />
      <WalletGate wallet={wallet} session={session} actions={actions} onConnect={onConnect} onSignOutToSwitch={onSignOutToSwitch}>
        <div className="flex flex-wrap gap-3">
          <Button busy={busy === "signing" || busy === "login"} disabled={busy !== "idle" || !walletMatches || !actions} onClick={onSign}>
            {busy === "signing" ? "Waiting for your signature…" : busy === "login" ? "Signing you in at Unblock…" : "Sign the message"}
          </Button>
          <Button variant="secondary" disabled={busy !== "idle"} onClick={onEmailInstead}>
            Email me a code instead
          </Button>
        </div>
      </WalletGate>
    </div>
  );
}
