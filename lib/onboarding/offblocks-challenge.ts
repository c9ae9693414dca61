/**
 * Our own checks of OffBlocks' wallet challenge, the same the provider makes:
 * - when OffBlocks issues one, before it is stored or shown: it must be an EIP-4361 message whose domain and
 *   URI are the OffBlocks API host (OFFBLOCKS_BASE_URL), for this wallet and chain, with a nonce — a user is
 *   never asked to sign anything else;
 * - when the wallet's signature comes back, before it is forwarded: not expired, and the signature recovers
 *   the wallet's address for exactly the stored text (lib/siwe/verify.ts, EOA check like OffBlocks').
 * The provider's clock may run ahead of ours (the sandbox's can be moved), so its Issued At is not held
 * against ours; its expiry is what counts.
 */
import { getAddress, type Address, type Hex } from "viem";
import { parseSiweMessage } from "viem/siwe";
import { AppError } from "../errors";
import type { Challenge } from "../providers/offblocks";
import { verifySiwe, type SiweFailure } from "../siwe/verify";

export interface ChallengeExpectations {
  /** OFFBLOCKS_BASE_URL: its host is the challenge's domain, its origin the challenge's URI */
  offblocksBaseUrl: string;
  address: Address;
  chainId: number;
}

function expected(expect: ChallengeExpectations) {
  const url = new URL(expect.offblocksBaseUrl);
  return { domain: url.host, uriOrigin: url.origin, address: getAddress(expect.address), chainIds: [expect.chainId] };
}

/** The challenge as the provider must receive it back: Base64 of the exact text. */
export function encodeChallenge(message: string): string {
  return Buffer.from(message, "utf8").toString("base64");
}

/** Throws 502 `offblocks_bad_challenge` when the issued challenge is not one the user may be asked to sign. */
export function assertIssuedChallenge(challenge: Challenge, expect: ChallengeExpectations): void {
  const want = expected(expect);
  const fields = parseSiweMessage(challenge.message);
  const problems: string[] = [];
  if (encodeChallenge(challenge.message) !== challenge.base64) problems.push("it does not re-encode to the Base64 OffBlocks sent");
  if (fields.domain !== want.domain) problems.push(`its domain is not ${want.domain}`);
  let uriOrigin: string | undefined;
  try {
    uriOrigin = fields.uri ? new URL(fields.uri).origin : undefined;
  } catch {
    uriOrigin = undefined;
  }
  if (uriOrigin !== want.uriOrigin) problems.push(`its URI is not on ${want.uriOrigin}`);
  if (fields.address !== want.address) problems.push("it names another wallet");
  if (fields.chainId !== expect.chainId) problems.push("it names another chain");
  if (!fields.nonce) problems.push("it has no nonce");
  if (fields.version !== "1") problems.push("it is not EIP-4361 version 1");
  if (problems.length > 0) {
    throw new AppError("offblocks_bad_challenge", 502, `OffBlocks issued a challenge we will not ask you to sign: ${problems.join("; ")}`);
  }
}

export type SignatureVerdict = { ok: true } | { ok: false; failure: "expired" } | { ok: false; failure: "invalid"; reason: SiweFailure };

const TIME_FAILURES: ReadonlySet<SiweFailure> = new Set(["expired", "too_old", "not_yet_valid"]);

/** Checks the wallet's signature of the stored challenge text locally. */
export async function verifyChallengeSignature(
  stored: { message: string; expiresAt: Date },
  signature: Hex,
  expect: ChallengeExpectations,
  now: Date,
): Promise<SignatureVerdict> {
  if (stored.expiresAt.getTime() <= now.getTime()) return { ok: false, failure: "expired" };
  const nonce = parseSiweMessage(stored.message).nonce;
  const result = await verifySiwe({ message: stored.message, signature }, { ...expected(expect), nonce, at: now, skewSeconds: Number.POSITIVE_INFINITY });
  if (result.valid) return { ok: true };
  if (TIME_FAILURES.has(result.reason)) return { ok: false, failure: "expired" };
  return { ok: false, failure: "invalid", reason: result.reason };
}
