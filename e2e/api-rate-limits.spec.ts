/**
 * Rate limits over HTTP against the running app: the email code cannot be brute-forced (ten tries per email
 * address per 15 minutes, and asking for a new code does not renew them), codes sent to one address are
 * capped, and a client over a per-address limit gets 429 `rate_limited` with `Retry-After` while another
 * client goes on. The e2e app trusts one proxy (TRUST_PROXY=1 in playwright.config.ts): each test plays that
 * proxy and names its own client address in X-Forwarded-For, so its counts are its own.
 */
import type { APIRequestContext } from "@playwright/test";
import { errorOf, expect, newWallet, SANDBOX_URL, signIn, test, uniqueClientAddress as clientAddress } from "./api-helpers";

let counter = 0;
const newEmail = () => `limits.${Date.now().toString(36)}.${++counter}@example.com`;

async function withUnblockUser(request: APIRequestContext, baseURL: string, email: string): Promise<void> {
  await signIn(request, baseURL, newWallet());
  expect((await request.post("/api/onboarding", { data: {} })).status()).toBe(201);
  const created = await request.post("/api/onboarding/unblock/user", { data: { firstName: "Ada", lastName: "Lovelace", email, country: "DE" } });
  expect(created.status(), await created.text()).toBe(200);
}

async function mailedCode(request: APIRequestContext, email: string): Promise<string> {
  const { items } = (await (await request.get(`${SANDBOX_URL}/_sandbox/mailbox?email=${encodeURIComponent(email)}`)).json()) as { items: { code: string }[] };
  return items.at(-1)!.code;
}

test.use({ extraHTTPHeaders: {} });

test("the email code cannot be brute-forced: ten tries per address, and a new code does not renew them", async ({ playwright, baseURL }) => {
  const request = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { origin: new URL(baseURL!).origin, "x-forwarded-for": clientAddress() } });
  const email = newEmail();
  await withUnblockUser(request, baseURL!, email);
  expect((await request.post("/api/onboarding/unblock/otp", { data: {} })).status()).toBe(200);
  const code = await mailedCode(request, email);
  const wrong = code === "000000" ? "111111" : "000000";

  const statuses: number[] = [];
  for (let i = 0; i < 10; i++) statuses.push((await request.post("/api/onboarding/unblock/otp/verify", { data: { code: wrong } })).status());
  expect(statuses.every((status) => status === 400 || status === 429)).toBe(true);
  const limited = await request.post("/api/onboarding/unblock/otp/verify", { data: { code: wrong } });
  expect(limited.status()).toBe(429);
  expect(Number(limited.headers()["retry-after"])).toBeGreaterThan(0);
  expect(await errorOf(limited)).toMatchObject({ code: "rate_limited", limit: "otp_check_email", message: expect.stringContaining("Please wait") });

  // a new code is sent, but the tries are spent: even the right code waits
  expect((await request.post("/api/onboarding/unblock/otp", { data: {} })).status()).toBe(200);
  const fresh = await mailedCode(request, email);
  const stillLimited = await request.post("/api/onboarding/unblock/otp/verify", { data: { code: fresh } });
  expect(stillLimited.status()).toBe(429);
  expect(await errorOf(stillLimited)).toMatchObject({ code: "rate_limited", limit: "otp_check_email" });
  await request.dispose();
});

test("at most five codes are sent to one email address in 15 minutes", async ({ playwright, baseURL }) => {
  const request = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { origin: new URL(baseURL!).origin, "x-forwarded-for": clientAddress() } });
  const email = newEmail();
  await withUnblockUser(request, baseURL!, email);
  for (let i = 0; i < 5; i++) expect((await request.post("/api/onboarding/unblock/otp", { data: {} })).status()).toBe(200);
  const sixth = await request.post("/api/onboarding/unblock/otp", { data: {} });
  expect(sixth.status()).toBe(429);
  expect(await errorOf(sixth)).toMatchObject({ code: "rate_limited", limit: "otp_send_email" });
  const { items } = (await (await request.get(`${SANDBOX_URL}/_sandbox/mailbox?email=${encodeURIComponent(email)}`)).json()) as { items: unknown[] };
  expect(items).toHaveLength(5);
  await request.dispose();
});

test("a client over the nonce limit gets 429 with Retry-After and a JSON message; another client goes on", async ({ playwright, baseURL }) => {
  const noisy = clientAddress();
  const request = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { "x-forwarded-for": noisy } });
  const statuses = new Map<number, number>();
  for (let i = 0; i < 310; i++) {
    const status = (await request.get("/api/auth/nonce")).status();
    statuses.set(status, (statuses.get(status) ?? 0) + 1);
  }
  expect(Object.fromEntries(statuses)).toEqual({ 200: 300, 429: 10 });
  const limited = await request.get("/api/auth/nonce");
  expect(limited.headers()["content-type"]).toContain("application/json");
  expect(limited.headers()["x-content-type-options"]).toBe("nosniff");
  expect(Number(limited.headers()["retry-after"])).toBeGreaterThan(0);
  expect(await errorOf(limited)).toMatchObject({ code: "rate_limited", limit: "nonce" });

  const other = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { "x-forwarded-for": `${noisy}, ${clientAddress()}` } });
  expect((await other.get("/api/auth/nonce")).status()).toBe(200);
  await Promise.all([request.dispose(), other.dispose()]);
});
