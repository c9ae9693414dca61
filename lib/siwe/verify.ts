/**
 * EIP-4361 verification as strict as the strictest anchors (thirdweb auth): the message must parse, be the
 * canonical rendering of its own fields (so nothing hides in it), and every field is checked — domain, URI
 * origin, version, chain, nonce, issued-at window, expiration/not-before — before the signature is.
 * Used for the app's own sign-in, for pre-checking provider challenges, and by the operator CLI.
 */
import { getAddress, isAddress, verifyMessage, type Address, type Hex } from "viem";
import { createSiweMessage, parseSiweMessage, type SiweMessage } from "viem/siwe";

export type SiweFailure =
  | "malformed"
  | "not_canonical"
  | "address_not_checksummed"
  | "address_mismatch"
  | "domain_mismatch"
  | "uri_mismatch"
  | "unsupported_version"
  | "chain_not_allowed"
  | "nonce_mismatch"
  | "issued_in_future"
  | "too_old"
  | "expired"
  | "not_yet_valid"
  | "bad_signature";

export const SIWE_FAILURE_TEXT: Record<SiweFailure, string> = {
  malformed: "the message is not a valid EIP-4361 message",
  not_canonical: "the message does not match the EIP-4361 rendering of its own fields",
  address_not_checksummed: "the address is not EIP-55 checksummed",
  address_mismatch: "the message names another address",
  domain_mismatch: "the message was made for another domain",
  uri_mismatch: "the message's URI is not on the expected origin",
  unsupported_version: "only version 1 is supported",
  chain_not_allowed: "the chain is not one we accept",
  nonce_mismatch: "the nonce is not the one we issued (or it was already used)",
  issued_in_future: "the message is issued in the future",
  too_old: "the message is too old; sign a new one",
  expired: "the message has expired",
  not_yet_valid: "the message is not valid yet",
  bad_signature: "the signature does not match the address",
};

export interface SiweExpectations {
  /** RFC 3986 authority the message must name, e.g. `localhost:3000` */
  domain?: string;
  /** origin the message's URI must be on, e.g. `http://localhost:3000` */
  uriOrigin?: string;
  nonce?: string;
  chainIds?: readonly number[];
  address?: Address;
  /** refuse messages issued longer ago than this */
  maxAgeSeconds?: number;
  /** the time to check against (default: now) */
  at?: Date;
  /** tolerated clock skew for issued-at in the future */
  skewSeconds?: number;
}

/** Checks a signature of `message` by `address`; `chainId` is the message's chain (for contract wallets). */
export type SignatureCheck = (args: { address: Address; message: string; signature: Hex; chainId: number }) => Promise<boolean>;

/** EOA-only check (ecrecover). Contract wallets need an RPC-backed check (EIP-1271/6492). */
export const eoaSignatureCheck: SignatureCheck = ({ address, message, signature }) => verifyMessage({ address, message, signature }).catch(() => false);

export type SiweResult =
  | { valid: true; address: Address; chainId: number; fields: SiweMessage }
  | { valid: false; reason: SiweFailure; message: string; address?: string; chainId?: number };

/** RFC 3339 allows several renderings of one instant (`…53Z`, `…53.000Z`); compare them as instants. */
function normalizeTimes(text: string): string {
  return text.replace(/^(Issued At|Expiration Time|Not Before): (.+)$/gm, (line, field: string, value: string) => {
    const time = new Date(value);
    return Number.isNaN(time.getTime()) ? line : `${field}: ${time.toISOString()}`;
  });
}

function fail(reason: SiweFailure, parsed?: Partial<SiweMessage>): SiweResult {
  return { valid: false, reason, message: SIWE_FAILURE_TEXT[reason], address: parsed?.address, chainId: parsed?.chainId };
}

export async function verifySiwe(
  input: { message: string; signature: Hex },
  expect: SiweExpectations,
  checkSignature: SignatureCheck = eoaSignatureCheck,
): Promise<SiweResult> {
  const text = input.message.replace(/\r\n/g, "\n");
  const parsed = parseSiweMessage(text);
  if (!parsed.address || !parsed.domain || !parsed.uri || !parsed.version || !parsed.chainId || !parsed.nonce || !parsed.issuedAt) {
    return fail("malformed", parsed);
  }
  if (!isAddress(parsed.address, { strict: false })) return fail("malformed", parsed);
  if (getAddress(parsed.address) !== parsed.address) return fail("address_not_checksummed", parsed);
  const fields = parsed as SiweMessage;
  let canonical: string;
  try {
    canonical = createSiweMessage(fields);
  } catch {
    return fail("malformed", parsed);
  }
  if (normalizeTimes(canonical) !== normalizeTimes(text)) return fail("not_canonical", parsed);

  if (fields.version !== "1") return fail("unsupported_version", parsed);
  if (expect.domain !== undefined && fields.domain !== expect.domain) return fail("domain_mismatch", parsed);
  if (expect.uriOrigin !== undefined) {
    let origin: string | undefined;
    try {
      origin = new URL(fields.uri).origin;
    } catch {
      origin = undefined;
    }
    if (origin !== new URL(expect.uriOrigin).origin) return fail("uri_mismatch", parsed);
  }
  if (expect.chainIds && !expect.chainIds.includes(fields.chainId)) return fail("chain_not_allowed", parsed);
  if (expect.nonce !== undefined && fields.nonce !== expect.nonce) return fail("nonce_mismatch", parsed);
  if (expect.address && getAddress(expect.address) !== fields.address) return fail("address_mismatch", parsed);

  const now = (expect.at ?? new Date()).getTime();
  const skewMs = (expect.skewSeconds ?? 5) * 1000;
  const issuedAt = fields.issuedAt?.getTime() ?? Number.NaN;
  if (Number.isNaN(issuedAt)) return fail("malformed", parsed);
  if (issuedAt > now + skewMs) return fail("issued_in_future", parsed);
  if (expect.maxAgeSeconds !== undefined && now - issuedAt > expect.maxAgeSeconds * 1000) return fail("too_old", parsed);
  if (fields.expirationTime && fields.expirationTime.getTime() <= now) return fail("expired", parsed);
  if (fields.notBefore && fields.notBefore.getTime() > now) return fail("not_yet_valid", parsed);

  const ok = await checkSignature({ address: fields.address, message: text, signature: input.signature, chainId: fields.chainId });
  if (!ok) return fail("bad_signature", parsed);
  return { valid: true, address: fields.address, chainId: fields.chainId, fields };
}
