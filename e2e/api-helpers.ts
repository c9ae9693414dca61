/**
 * Helpers of the API specs (e2e/api-*.spec.ts): sign-in with Ethereum from the test process with a viem
 * local account, over Playwright's `request` fixture against the running app, and the sandbox controls.
 * State-changing requests must carry the app's Origin, as a browser's would: use this file's `test`.
 */
import { test as base, expect, request as apiRequest, type APIRequestContext, type APIResponse } from "@playwright/test";
import { generatePrivateKey, privateKeyToAccount, type PrivateKeyAccount } from "viem/accounts";
import type { CreateSiweMessageParameters } from "viem/siwe";
import { appSignInMessage, STAFF_TEST_PRIVATE_KEY } from "../testing/app-sign-in";

export const SANDBOX_URL = `http://127.0.0.1:${process.env.E2E_SANDBOX_PORT ?? 4110}`;

export const newWallet = (): PrivateKeyAccount => privateKeyToAccount(generatePrivateKey());

export { uniqueClientAddress } from "../testing/client-address";

/** A fixed test key: its address is STAFF_ADDRESSES of the e2e app (playwright.config.ts). */
export const STAFF_PRIVATE_KEY = STAFF_TEST_PRIVATE_KEY;
export const staffWallet = privateKeyToAccount(STAFF_PRIVATE_KEY);

/** A cookie jar of its own (another person), whose requests carry the app's Origin as a browser's would. */
export function originContext(baseURL: string): Promise<APIRequestContext> {
  return apiRequest.newContext({ baseURL, extraHTTPHeaders: { origin: new URL(baseURL).origin } });
}

/** Playwright's test, whose requests all carry `Origin: <the app's origin>` as a browser's would. */
export const test = base.extend({
  extraHTTPHeaders: async ({ baseURL }, provide) => {
    await provide({ origin: new URL(baseURL!).origin });
  },
});

export { expect };

export async function nonce(request: APIRequestContext): Promise<string> {
  const response = await request.get("/api/auth/nonce");
  expect(response.status()).toBe(200);
  const body = (await response.json()) as { nonce: string };
  expect(body.nonce).toMatch(/^[A-Za-z0-9]{8,}$/);
  return body.nonce;
}

/** The app's EIP-4361 sign-in message, signed by `wallet`. */
export async function signedSignIn(
  baseURL: string,
  wallet: PrivateKeyAccount,
  nonceValue: string,
  overrides: Partial<CreateSiweMessageParameters> = {},
): Promise<{ message: string; signature: `0x${string}` }> {
  const message = appSignInMessage(baseURL, wallet.address, nonceValue, overrides);
  return { message, signature: await wallet.signMessage({ message }) };
}

/** Signs `wallet` in on this request context (its cookie jar keeps the session). */
export async function signIn(request: APIRequestContext, baseURL: string, wallet: PrivateKeyAccount): Promise<APIResponse> {
  const body = await signedSignIn(baseURL, wallet, await nonce(request));
  const response = await request.post("/api/auth/verify", { data: body });
  expect(response.status(), await response.text()).toBe(200);
  return response;
}

export async function errorOf(response: APIResponse): Promise<{ code: string; message: string; [key: string]: unknown }> {
  const body = (await response.json()) as { error: { code: string; message: string } };
  return body.error;
}

/** POST to a sandbox control (`/_sandbox/clock`, `/_sandbox/faults`, …). */
export async function sandboxControl(request: APIRequestContext, route: string, data: unknown): Promise<void> {
  const response = await request.post(`${SANDBOX_URL}/_sandbox${route}`, { data });
  expect(response.status(), await response.text()).toBeLessThan(300);
}
