/**
 * The Sign-In with Ethereum text Unblock's `POST /auth/login` accepts (shared/PROVIDERS.md, Unblock part),
 * built by us as `siwe`'s `prepareMessage()` would: domain = the Unblock API host, address = the wallet
 * (EIP-55), statement `Sign in with Ethereum`, URI `<base>/auth/login`, version 1, chain UNBLOCK_CHAIN_ID,
 * a nonce we generate (and remember: Unblock accepts each nonce once), Issued At now, Expiration Time
 * now + 4 h (Unblock's maximum).
 */
import { randomBytes } from "node:crypto";
import { getAddress, type Address } from "viem";
import { createSiweMessage } from "viem/siwe";
import { UNBLOCK_LIFETIMES, UNBLOCK_LOGIN_PATH, UNBLOCK_SIWE_STATEMENT } from "./types";

export interface UnblockSiweSettings {
  /** UNBLOCK_BASE_URL, e.g. https://sandbox.getunblock.com */
  baseUrl: string;
  /** UNBLOCK_CHAIN_ID */
  chainId: number;
}

export interface UnblockSiweMessage {
  message: string;
  nonce: string;
  issuedAt: Date;
  expiresAt: Date;
}

/** 32 hex characters (128 bits): EIP-4361 wants at least 8 alphanumerics. */
export function generateUnblockNonce(): string {
  return randomBytes(16).toString("hex");
}

/** What the message's domain and URI must be for this Unblock base URL. */
export function unblockSiweTarget(baseUrl: string): { domain: string; uri: string; uriOrigin: string } {
  const base = new URL(baseUrl);
  const path = base.pathname.replace(/\/$/, "");
  return { domain: base.host, uri: `${base.origin}${path}${UNBLOCK_LOGIN_PATH}`, uriOrigin: base.origin };
}

export function buildUnblockSiweMessage(
  settings: UnblockSiweSettings,
  input: { address: Address | string; nonce?: string; issuedAt?: Date },
): UnblockSiweMessage {
  const target = unblockSiweTarget(settings.baseUrl);
  // whole seconds: the text renders them without milliseconds and compares as instants
  const issuedAt = new Date(Math.floor((input.issuedAt ?? new Date()).getTime() / 1000) * 1000);
  const expiresAt = new Date(issuedAt.getTime() + UNBLOCK_LIFETIMES.messageMaxSeconds * 1000);
  const nonce = input.nonce ?? generateUnblockNonce();
  const message = createSiweMessage({
    domain: target.domain,
    address: getAddress(input.address),
    statement: UNBLOCK_SIWE_STATEMENT,
    uri: target.uri,
    version: "1",
    chainId: settings.chainId,
    nonce,
    issuedAt,
    expirationTime: expiresAt,
  });
  return { message, nonce, issuedAt, expiresAt };
}
