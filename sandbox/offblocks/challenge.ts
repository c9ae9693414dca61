/**
 * The OffBlocks wallet challenge: an EIP-4361 message whose domain and URI are the API host, with
 * OffBlocks' statement, the chain of the customer's CAIP-10 id, a 16-character nonce and Issued At to the
 * second (exactly the shape of the docs' test vector). Handed out as base64 of the text; answered with
 * base64 of the 65 raw signature bytes, checked with viem.
 */
import { randomInt } from "node:crypto";
import { getAddress, toHex, verifyMessage, type Address } from "viem";
import { parseSiweMessage, validateSiweMessage } from "viem/siwe";

export const CHALLENGE_STATEMENT =
  "OffBlocks wants to verify ownership of your wallet. By connecting your wallet and using OffBlocks, you agree to our Terms of services and Privacy Policy";
export const CHALLENGE_NONCE_LENGTH = 16;
export const SIGNATURE_BYTES = 65;

const ALPHANUMERIC = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

export interface ChallengeFields {
  /** host[:port] of the API */
  domain: string;
  /** scheme://host[:port] of the API */
  uri: string;
  address: Address;
  chainId: string;
  nonce: string;
  issuedAt: Date;
}

export function challengeNonce(): string {
  let nonce = "";
  for (let i = 0; i < CHALLENGE_NONCE_LENGTH; i++) nonce += ALPHANUMERIC[randomInt(ALPHANUMERIC.length)];
  return nonce;
}

/** ISO 8601 to the second, UTC: `2024-01-17T18:21:53Z`. */
export function isoSeconds(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, "Z");
}

export function challengeText(fields: ChallengeFields): string {
  return [
    `${fields.domain} wants you to sign in with your Ethereum account:`,
    getAddress(fields.address),
    "",
    CHALLENGE_STATEMENT,
    "",
    `URI: ${fields.uri}`,
    "Version: 1",
    `Chain ID: ${fields.chainId}`,
    `Nonce: ${fields.nonce}`,
    `Issued At: ${isoSeconds(fields.issuedAt)}`,
  ].join("\n");
}

/** The 65 raw bytes of a base64 signature, or undefined when it is not canonical base64 of 65 bytes. */
export function decodeSignature(base64: string): Uint8Array | undefined {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(base64)) return undefined;
  const bytes = Buffer.from(base64, "base64");
  if (bytes.length !== SIGNATURE_BYTES || bytes.toString("base64") !== base64) return undefined;
  return new Uint8Array(bytes);
}

export interface ChallengeCheck {
  text: string;
  domain: string;
  uri: string;
  nonce: string;
  address: Address;
  chainId: string;
  signature: Uint8Array;
  now: Date;
}

/** EIP-4361 verification: the message parses to the expected fields and the signature recovers the address. */
export async function challengeSignatureValid(check: ChallengeCheck): Promise<boolean> {
  try {
    const message = parseSiweMessage(check.text);
    const fieldsValid =
      validateSiweMessage({ message, address: check.address, domain: check.domain, nonce: check.nonce, time: check.now }) &&
      message.uri === check.uri &&
      message.version === "1" &&
      String(message.chainId) === check.chainId &&
      message.statement === CHALLENGE_STATEMENT;
    if (!fieldsValid) return false;
    return await verifyMessage({ address: check.address, message: check.text, signature: toHex(check.signature) });
  } catch {
    return false;
  }
}
