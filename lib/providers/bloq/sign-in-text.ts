/**
 * The exact text a Bloq Stake user signs (personal_sign), from shared/PROVIDERS.md. Issued At is the
 * `signedAt` sent with the login, character for character. Shared by our client and the emulator.
 */
import { getAddress } from "viem";

export const BLOQ_SIGN_IN_DOMAIN = "api.bloq.com";
export const BLOQ_SIGN_IN_URI = "https://api.bloq.com";
export const BLOQ_SIGN_IN_STATEMENT = "Signing In With Ethereum on Bloq";
export const BLOQ_SIGN_IN_CHAIN_ID = 1;

export function bloqSignInText(input: { address: string; nonce: string; signedAt: string }): string {
  return [
    `${BLOQ_SIGN_IN_DOMAIN} wants you to sign in with your Ethereum account:`,
    getAddress(input.address),
    "",
    BLOQ_SIGN_IN_STATEMENT,
    "",
    `URI: ${BLOQ_SIGN_IN_URI}`,
    "Version: 1",
    `Chain ID: ${BLOQ_SIGN_IN_CHAIN_ID}`,
    `Nonce: ${input.nonce}`,
    `Issued At: ${input.signedAt}`,
  ].join("\n");
}
