/**
 * Unblock's SIWE login checks (shared/PROVIDERS.md): a well-formed EIP-4361 message (rebuilt from its
 * fields with viem and compared, so no stray or missing line passes), domain = the host the request came
 * to, URI = `<base>/auth/login`, statement "Sign in with Ethereum", version 1, an EIP-55 address, a chain
 * id, Issued At not in the future, Expiration Time present, not past and at most 4 h ahead, Not Before
 * reached — all by the sandbox clock — and a valid EOA signature (viem `verifyMessage`). The nonce and the
 * address → user lookup are the caller's (they need state).
 *
 * ours: a clock skew of SIWE_CLOCK_SKEW_SECONDS is tolerated on Issued At / Not Before in the future and on
 * the 4 h bound. EIP-1271 contract wallets are not emulated (there is no chain here): EOA signatures only.
 */
import { getAddress, isAddress, verifyMessage, type Hex } from "viem";
import { createSiweMessage, parseSiweMessage } from "viem/siwe";
import { UNBLOCK_LIFETIMES, UNBLOCK_SIWE_STATEMENT } from "@/lib/providers/unblock/types";
import { siweInvalid } from "./errors";

export const SIWE_CLOCK_SKEW_SECONDS = 60;

export interface SiweExpectations {
  /** the request's Host, e.g. "127.0.0.1:4010" */
  domain: string;
  /** the request's scheme, "http" or "https" */
  scheme: string;
  /** `<scheme>://<host><prefix>/auth/login` */
  uri: string;
  /** sandbox ms */
  now: number;
}

export interface VerifiedSiwe {
  address: string;
  nonce: string;
  chainId: number;
}

const DATE_LINE = /^(Issued At|Expiration Time|Not Before): (.*)$/;

/** The message with its timestamps written as toISOString() does, so that it can be compared to a rebuild. */
function normaliseTimestamps(message: string): string {
  return message
    .split("\n")
    .map((line) => {
      const match = DATE_LINE.exec(line);
      if (!match) return line;
      const time = Date.parse(match[2] ?? "");
      return Number.isNaN(time) ? line : `${match[1]}: ${new Date(time).toISOString()}`;
    })
    .join("\n");
}

function rebuild(fields: ReturnType<typeof parseSiweMessage>): string | undefined {
  const { address, chainId, domain, nonce, uri, version } = fields;
  if (address === undefined || chainId === undefined || domain === undefined || nonce === undefined) return undefined;
  if (uri === undefined || version === undefined) return undefined;
  try {
    return createSiweMessage({ ...fields, address, chainId, domain, nonce, uri, version });
  } catch {
    return undefined;
  }
}

async function signatureMatches(address: string, message: string, signature: string): Promise<boolean> {
  try {
    return await verifyMessage({ address: getAddress(address), message, signature: signature as Hex });
  } catch {
    return false;
  }
}

export async function verifySiweLogin(message: string, signature: string, expect: SiweExpectations): Promise<VerifiedSiwe> {
  const fields = parseSiweMessage(message);
  if (fields.address !== undefined && (!isAddress(fields.address, { strict: false }) || getAddress(fields.address) !== fields.address)) {
    throw siweInvalid("The address must be EIP-55 checksummed");
  }
  const rebuilt = rebuild(fields);
  if (rebuilt === undefined || rebuilt !== normaliseTimestamps(message)) {
    throw siweInvalid("The message is not a well-formed EIP-4361 message");
  }
  const { address, chainId, domain, nonce, uri, version, statement, scheme, issuedAt, expirationTime, notBefore } = fields;
  if (address === undefined || chainId === undefined || nonce === undefined) {
    throw siweInvalid("The message is not a well-formed EIP-4361 message");
  }
  if (domain?.toLowerCase() !== expect.domain.toLowerCase()) {
    throw siweInvalid(`The domain must be ${expect.domain}`);
  }
  if (scheme !== undefined && scheme.toLowerCase() !== expect.scheme) {
    throw siweInvalid(`The scheme must be ${expect.scheme}`);
  }
  if (uri !== expect.uri) throw siweInvalid(`The URI must be ${expect.uri}`);
  if (statement !== UNBLOCK_SIWE_STATEMENT) throw siweInvalid(`The statement must be "${UNBLOCK_SIWE_STATEMENT}"`);
  if (version !== "1") throw siweInvalid("The version must be 1");
  if (!Number.isSafeInteger(chainId) || chainId <= 0) throw siweInvalid("The chain id must be an EIP-155 chain id");

  const skewMs = SIWE_CLOCK_SKEW_SECONDS * 1000;
  const time = (date: Date | undefined) => (date === undefined ? Number.NaN : date.getTime());
  const issued = time(issuedAt);
  if (Number.isNaN(issued)) throw siweInvalid("Issued At must be an RFC 3339 date-time");
  if (issued > expect.now + skewMs) throw siweInvalid("Issued At is in the future");
  const expires = time(expirationTime);
  if (expirationTime === undefined) throw siweInvalid("An Expiration Time is required");
  if (Number.isNaN(expires)) throw siweInvalid("Expiration Time must be an RFC 3339 date-time");
  if (expires <= expect.now) throw siweInvalid("The message has expired");
  if (expires > expect.now + UNBLOCK_LIFETIMES.messageMaxSeconds * 1000 + skewMs) {
    throw siweInvalid(`Expiration Time may be at most ${UNBLOCK_LIFETIMES.messageMaxSeconds / 3600} hours ahead`);
  }
  if (expires <= issued) throw siweInvalid("Expiration Time must be after Issued At");
  if (notBefore !== undefined) {
    const from = time(notBefore);
    if (Number.isNaN(from)) throw siweInvalid("Not Before must be an RFC 3339 date-time");
    if (from > expect.now + skewMs) throw siweInvalid("The message is not valid yet (Not Before)");
  }

  if (!(await signatureMatches(address, message, signature))) {
    throw siweInvalid("The signature does not match the message and address");
  }
  return { address, nonce, chainId };
}
