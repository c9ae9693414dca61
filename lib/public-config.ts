/**
 * The only configuration a browser may see. A server component reads it and passes it down as props; it
 * holds no secret (no RPC URL — those may carry API keys — no credential, no password).
 */
import { config, type Config } from "./config";
import type { WalletSettings } from "./wallet/settings";

export interface PublicConfig {
  /** running against the built-in provider emulators */
  sandbox: boolean;
  /** chains a wallet may sign in with, in preference order */
  chainIds: number[];
  /** WalletConnect (Reown) project id, or null: no WalletConnect */
  walletConnectProjectId: string | null;
  /** host OffBlocks' challenge names as its domain (the UI explains it is not ours), e.g. api.sandbox.offblocks.xyz */
  offblocksHost: string;
}

export function publicConfig(cfg: Config = config()): PublicConfig {
  return {
    sandbox: cfg.sandbox.enabled,
    chainIds: [...cfg.chains.ids],
    walletConnectProjectId: cfg.walletConnectProjectId ?? null,
    offblocksHost: new URL(cfg.offblocks.baseUrl).host,
  };
}

/** What the browser's wallet layer is given, named `appName` in the wallets' dialogs. */
export function walletSettings(appName: string, cfg: Config = config()): WalletSettings {
  const browserConfig = publicConfig(cfg);
  return {
    appName,
    sandbox: browserConfig.sandbox,
    chainIds: browserConfig.chainIds,
    walletConnectProjectId: browserConfig.walletConnectProjectId ?? undefined,
  };
}
