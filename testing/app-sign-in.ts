/**
 * Sign-in with Ethereum to the app from a test process, as a browser wallet would: the app's EIP-4361 message
 * (used by the e2e API helpers too) and a whole sign-in over plain fetch — for the fuzz suite, so the session
 * and staff routes are fuzzed beyond their 401.
 */
import { privateKeyToAccount, type PrivateKeyAccount } from "viem/accounts";
import { createSiweMessage, type CreateSiweMessageParameters } from "viem/siwe";

/** A fixed test key: its address is STAFF_ADDRESSES of the e2e app (playwright.config.ts) and of `npm run fuzz`'s. */
export const STAFF_TEST_PRIVATE_KEY = "0x5747af5e5747af5e5747af5e5747af5e5747af5e5747af5e5747af5e5747af5e" as const;

/** The app's sign-in message for `address` on `baseUrl` with the nonce it issued. */
export function appSignInMessage(
  baseUrl: string,
  address: PrivateKeyAccount["address"],
  nonce: string,
  overrides: Partial<CreateSiweMessageParameters> = {},
): string {
  const url = new URL(baseUrl);
  return createSiweMessage({
    domain: url.host,
    address,
    statement: "Sign in to the wallet onboarding app.",
    uri: url.origin,
    version: "1",
    chainId: 300,
    nonce,
    issuedAt: new Date(),
    ...overrides,
  });
}

/** The `name=value` cookie of a session signed in as the key's address (a staff address makes it staff). */
export async function sessionCookie(baseUrl: string, privateKey: `0x${string}`): Promise<string> {
  const url = new URL(baseUrl);
  const wallet = privateKeyToAccount(privateKey);
  const nonceAnswer = await fetch(new URL("/api/auth/nonce", url));
  const { nonce } = (await nonceAnswer.json()) as { nonce: string };
  const jar = nonceAnswer.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; ");
  const message = appSignInMessage(baseUrl, wallet.address, nonce);
  const verify = await fetch(new URL("/api/auth/verify", url), {
    method: "POST",
    headers: { "content-type": "application/json", origin: url.origin, ...(jar ? { cookie: jar } : {}) },
    body: JSON.stringify({ message, signature: await wallet.signMessage({ message }) }),
  });
  if (verify.status !== 200) throw new Error(`sign-in failed: ${verify.status} ${await verify.text()}`);
  return verify.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; ");
}

/** `cookie` while its session is still signed in, else a new session's (a fuzzed logout ends the one it carried). */
export async function stillSignedIn(baseUrl: string, privateKey: `0x${string}`, cookie: string | undefined): Promise<string> {
  if (cookie && ((await (await fetch(new URL("/api/auth/session", baseUrl), { headers: { cookie } })).json()) as { signedIn?: boolean }).signedIn)
    return cookie;
  return sessionCookie(baseUrl, privateKey);
}
