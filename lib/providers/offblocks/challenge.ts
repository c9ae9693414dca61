/**
 * The OffBlocks wallet challenge on our side: decoding the Base64 EIP-4361 text the provider issues, its
 * expiry, and the wallet's 0x-hex signature re-encoded the way OffBlocks wants it — Base64 of the 65 raw
 * bytes (r ‖ s ‖ v), not Base64 of the hex text (shared/PROVIDERS.md, test vector).
 */
import { AppError } from "../../errors";
import { OFFBLOCKS_LIFETIMES } from "./types";

export interface Challenge {
  /** the EIP-4361 text the wallet signs */
  message: string;
  /** the challenge exactly as OffBlocks issued it (sent back with the signature) */
  base64: string;
  expiresAt: Date;
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

export function decodeChallenge(base64: string): string {
  if (!BASE64.test(base64)) throw new AppError("offblocks_bad_response", 502, "OffBlocks sent a challenge that is not Base64");
  return Buffer.from(base64, "base64").toString("utf8");
}

/** When a challenge stops being accepted: its `Expiration Time`, else `Issued At` + the documented hour. */
export function challengeExpiry(message: string, now: Date = new Date()): Date {
  const field = (name: string) => {
    const match = new RegExp(`^${name}: (.+)$`, "m").exec(message);
    const date = match?.[1] ? new Date(match[1].trim()) : undefined;
    return date && !Number.isNaN(date.getTime()) ? date : undefined;
  };
  const expiration = field("Expiration Time");
  if (expiration) return expiration;
  const issuedAt = field("Issued At") ?? now;
  return new Date(issuedAt.getTime() + OFFBLOCKS_LIFETIMES.challengeSeconds * 1000);
}

/** A challenge as the provider answered it; `expiresAt` when the provider states it. */
export function toChallenge(base64: string, expiresAt?: string): Challenge {
  const message = decodeChallenge(base64);
  const stated = expiresAt ? new Date(expiresAt) : undefined;
  return { message, base64, expiresAt: stated && !Number.isNaN(stated.getTime()) ? stated : challengeExpiry(message) };
}

/** `0x` + 130 hex digits (a 65-byte secp256k1 signature) → Base64 of the raw bytes. */
export function signatureHexToBase64(signatureHex: string): string {
  if (!/^0x[0-9a-fA-F]{130}$/.test(signatureHex)) {
    throw new AppError("signature_invalid", 400, "The signature must be 0x followed by 65 bytes of hex");
  }
  return Buffer.from(signatureHex.slice(2), "hex").toString("base64");
}
