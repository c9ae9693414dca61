/**
 * The EIP-4361 message that signs the person in to this app: domain = this page's host, URI = its origin,
 * version 1, the wallet's chain, the server's nonce, issued now. Loaded with the wallet layer, not in the
 * page's first load.
 */
import type { Address } from "viem";
import { createSiweMessage } from "viem/siwe";

export const SIGN_IN_STATEMENT = "Sign in to wallet onboarding. This proves you own this wallet; it sends no transaction and costs nothing.";

export function appSiweMessage(args: { address: Address; chainId: number; nonce: string; location: Pick<Location, "host" | "origin">; now?: Date }): string {
  return createSiweMessage({
    domain: args.location.host,
    uri: args.location.origin,
    version: "1",
    chainId: args.chainId,
    nonce: args.nonce,
    address: args.address,
    issuedAt: args.now ?? new Date(),
    statement: SIGN_IN_STATEMENT,
  });
}
