/**
 * Switching the wallet to an allowed network, for the sign-in pages' wrong-network alert: `switching` while the
 * wallet works on it; `onStart` as it begins (clear the last failure), `onFailure` when the wallet did not
 * switch (the page words it).
 */
import { useState } from "react";
import type { WalletActions } from "@/lib/wallet/bridge";

export function useChainSwitch(
  actions: WalletActions | null,
  { onStart, onFailure }: { onStart: () => void; onFailure: (error: unknown, chainId: number) => void },
): { switching: boolean; switchTo: (chainId: number) => Promise<void> } {
  const [switching, setSwitching] = useState(false);

  async function switchTo(chainId: number) {
    if (!actions) return;
    setSwitching(true);
    onStart();
    try {
      await actions.switchChain(chainId);
    } catch (error) {
      onFailure(error, chainId);
    } finally {
      setSwitching(false);
    }
  }

  return { switching, switchTo };
}
