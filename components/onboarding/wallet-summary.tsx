import { useState } from "react";
import { Button } from "@/components/ui/button";
import type { WalletActions, WalletState } from "@/lib/wallet/bridge";
import { chainName, shortAddress } from "@/lib/wallet/settings";

/** Which wallet, account and network are connected, with a way to use another wallet. */
export function WalletSummary({
  wallet,
  actions,
  allowDisconnect = true,
}: {
  wallet: Extract<WalletState, { status: "connected" }>;
  actions: WalletActions | null;
  allowDisconnect?: boolean;
}) {
  const [busy, setBusy] = useState(false);
  return (
    <div
      className="flex flex-wrap items-center justify-between gap-x-4 gap-y-2 rounded-lg bg-slate-50 px-4 py-3 ring-1 ring-slate-200"
      data-testid="wallet-summary"
    >
      <dl className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-0.5 text-sm">
        <dt className="text-ink-muted">Wallet</dt>
        <dd className="font-medium text-ink">{wallet.connectorName}</dd>
        <dt className="text-ink-muted">Account</dt>
        <dd className="font-mono font-medium text-ink" title={wallet.address}>
          {shortAddress(wallet.address)}
        </dd>
        <dt className="text-ink-muted">Network</dt>
        <dd className="font-medium text-ink">{chainName(wallet.chainId)}</dd>
      </dl>
      {allowDisconnect ? (
        <Button
          variant="link"
          busy={busy}
          disabled={!actions}
          onClick={async () => {
            setBusy(true);
            await actions?.disconnect();
            setBusy(false);
          }}
        >
          Use another wallet
        </Button>
      ) : null}
    </div>
  );
}
