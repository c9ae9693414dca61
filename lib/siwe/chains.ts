/**
 * The chains the app knows by id: their viem definition (which carries the ERC-6492 verifier contract a
 * chain such as zkSync needs, since it cannot run the deployless verifier) and their public RPC. A chain in
 * APP_CHAIN_IDS that is not listed here still works for plain wallets; contract wallets on it need an RPC URL
 * in CHAIN_RPC_URLS and are verified with viem's deployless ERC-6492 validator.
 */
import type { Chain } from "viem";
import { mainnet, sepolia, zksync, zksyncSepoliaTestnet } from "viem/chains";

export const KNOWN_CHAINS: Readonly<Record<number, Chain>> = {
  [zksyncSepoliaTestnet.id]: zksyncSepoliaTestnet,
  [zksync.id]: zksync,
  [mainnet.id]: mainnet,
  [sepolia.id]: sepolia,
};

export function knownChain(chainId: number): Chain | undefined {
  return KNOWN_CHAINS[chainId];
}

/** The chain's public JSON-RPC URLs (http and websocket), if the chain is known. */
export function publicRpcUrls(chainId: number): string[] {
  const chain = knownChain(chainId);
  if (!chain) return [];
  return [...chain.rpcUrls.default.http, ...(chain.rpcUrls.default.webSocket ?? [])];
}
