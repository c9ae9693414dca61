/**
 * A signed-in session for the fuzz suite (lib/testing/fuzz-requests.ts), so the session and staff routes are
 * fuzzed beyond their 401: sign-in with Ethereum over plain fetch with a viem local account.
 */
import { privateKeyToAccount } from "viem/accounts";
import { createSiweMessage } from "viem/siwe";

/** The `name=value` cookie of a session signed in as the key's address (a staff address makes it staff). */
export async function sessionCookie(baseUrl: string, privateKey: `0x${string}`): Promise<string> {
  const url = new URL(baseUrl);
  const wallet = privateKeyToAccount(privateKey);
  const nonceAnswer = await fetch(new URL("/api/auth/nonce", url));
  const { nonce } = (await nonceAnswer.json()) as { nonce: string };
  const jar = nonceAnswer.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
  const message = createSiweMessage({
    domain: url.host,
    address: wallet.address,
    statement: "Sign in to the wallet onboarding app.",
    uri: url.origin,
    version: "1",
    chainId: 300,
    nonce,
    issuedAt: new Date(),
  });
  const verify = await fetch(new URL("/api/auth/verify", url), {
    method: "POST",
    headers: { "content-type": "application/json", origin: url.origin, ...(jar ? { cookie: jar } : {}) },
    body: JSON.stringify({ message, signature: await wallet.signMessage({ message }) }),
  });
  if (verify.status !== 200) throw new Error(`sign-in failed: ${verify.status} ${await verify.text()}`);
  return verify.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
}
