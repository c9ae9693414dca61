/** Signing Bloq's message with the wallet: Bloq's own text shown and explained, then the sign button behind the wallet gate. */
import { Button } from "@/components/ui/button";
import { sameAddress } from "@/lib/wallet/settings";
import type { BloqBusy } from "./bloq-phase";
import type { SignPanelProps } from "./provider-step-props";
import { SignMessagePanel } from "./sign-message-panel";
import { WalletGate } from "./wallet-gate";

export function BloqSignMessage({ message, busy, wallet, session, actions, onConnect, onSignOutToSwitch, onSign }: SignPanelProps<BloqBusy>) {
  return (
    <>
      <SignMessagePanel
        provider="Bloq"
        message={message}
        messageTestId="bloq-message"
        explainerTestId="bloq-explainer"
        explain={({ domain, chain, host }) => (
          <p>
            This is Bloq’s own text, word for word. It names <span className="font-mono font-semibold">{domain ?? "Bloq’s address"}</span>, Bloq’s address, not
            this site (<span className="font-mono">{host}</span>), so your wallet may point out that the domains differ.
            {chain ? ` It says chain ${chain === "1" ? "1 (Ethereum)" : chain} because that is where Bloq works; your wallet does not need to switch.` : ""} It
            is a sign-in, not a transaction: it costs nothing and moves no funds. We check your signature, then pass it to Bloq.
          </p>
        )}
      />
      <WalletGate wallet={wallet} session={session} actions={actions} onConnect={onConnect} onSignOutToSwitch={onSignOutToSwitch}>
        <Button
          busy={busy === "signing" || busy === "login"}
          disabled={busy !== "idle" || !actions || wallet.status !== "connected" || !sameAddress(wallet.address, session.address)}
          onClick={onSign}
        >
          {busy === "signing" ? "Waiting for your signature…" : busy === "login" ? "Linking at Bloq…" : "Sign Bloq’s message"}
        </Button>
      </WalletGate>
    </>
  );
}
