/**
 * Which signature check a SIWE message gets. Plain wallets (EOAs) are always checked locally (ecrecover).
 * When the message's chain has an RPC URL (CHAIN_RPC_URLS), a signature that does not recover to the
 * address is then checked on chain through viem's `verifyMessage`: EIP-1271 for deployed contract wallets,
 * EIP-6492 for counterfactual (not yet deployed) ones. An RPC failure counts as "does not verify" and is
 * logged: a signature we could not check is not accepted.
 */
import { createPublicClient, http, type PublicClient } from "viem";
import type { Logger } from "pino";
import { logger as rootLogger } from "../log";
import { knownChain } from "./chains";
import { eoaSignatureCheck, type SignatureCheck } from "./verify";

export const RPC_TIMEOUT_MS = 10_000;

export interface SignatureCheckOptions {
  /** chain id → RPC URL (server-side only) */
  rpcUrls: Readonly<Record<number, string>>;
  logger?: Logger;
}

export function createSignatureCheck(options: SignatureCheckOptions): SignatureCheck {
  const clients = new Map<number, PublicClient>();
  const log = () => (options.logger ?? rootLogger()).child({ module: "siwe" });

  const clientFor = (chainId: number): PublicClient | undefined => {
    const url = options.rpcUrls[chainId];
    if (!url) return undefined;
    let client = clients.get(chainId);
    if (!client) {
      client = createPublicClient({ chain: knownChain(chainId), transport: http(url, { timeout: RPC_TIMEOUT_MS, retryCount: 1 }) });
      clients.set(chainId, client);
    }
    return client;
  };

  return async (args) => {
    if (await eoaSignatureCheck(args)) return true;
    const client = clientFor(args.chainId);
    if (!client) return false;
    try {
      return await client.verifyMessage({ address: args.address, message: args.message, signature: args.signature });
    } catch (error) {
      // viem's short message only: its full message repeats the RPC URL, which may carry an API key
      const reason = error instanceof Error ? ((error as { shortMessage?: string }).shortMessage ?? error.name) : "unknown error";
      log().warn({ chainId: args.chainId, reason }, "contract-wallet signature check failed");
      return false;
    }
  };
}
