/** The Sandbox wallet as a RainbowKit wallet-list entry (sandbox mode only). */
import type { Wallet } from "@rainbow-me/rainbowkit";
import { createConnector } from "wagmi";
import { SANDBOX_CONNECTOR_ID, SANDBOX_WALLET_ICON, SANDBOX_WALLET_NAME, sandboxConnector, type SandboxWalletOptions } from "./sandbox-connector";

export function sandboxWallet(options: SandboxWalletOptions = {}): () => Wallet {
  return () => ({
    id: SANDBOX_CONNECTOR_ID,
    name: SANDBOX_WALLET_NAME,
    shortName: "Sandbox",
    iconUrl: SANDBOX_WALLET_ICON,
    iconBackground: "#4338ca",
    iconAccent: "#4338ca",
    installed: true,
    createConnector: (walletDetails) => {
      const create = sandboxConnector(options);
      return createConnector((config) => ({ ...create(config), ...walletDetails }));
    },
  });
}
