/**
 * What the browser's wallet layer needs to know, all of it safe to send to a browser: whether the sandbox
 * is on (then the burner "Sandbox wallet" is offered), the chains a sign-in may name (the first is the
 * default), and the WalletConnect project id when one is configured. Chain names are here so the light
 * part of the page can talk about chains without loading viem's chain definitions.
 */
export interface WalletSettings {
  appName: string;
  sandbox: boolean;
  /** allowed chain ids, default first */
  chainIds: readonly number[];
  walletConnectProjectId: string | undefined;
}

export const ZKSYNC_SEPOLIA = 300;
export const ZKSYNC = 324;

const CHAIN_NAMES: Record<number, string> = { [ZKSYNC_SEPOLIA]: "zkSync Sepolia", [ZKSYNC]: "zkSync", 1: "Ethereum", 11155111: "Sepolia" };

export function chainName(chainId: number): string {
  return CHAIN_NAMES[chainId] ?? `chain ${chainId}`;
}

/** `0x1234…abcd` */
export function shortAddress(address: string): string {
  return address.length > 12 ? `${address.slice(0, 6)}…${address.slice(-4)}` : address;
}

export function sameAddress(a: string | undefined, b: string | undefined): boolean {
  return !!a && !!b && a.toLowerCase() === b.toLowerCase();
}
