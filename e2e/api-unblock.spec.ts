/** The Unblock routes over HTTP against the running app and its sandbox Unblock (issue 4, shared/API.md). */
import type { APIRequestContext } from "@playwright/test";
import type { PrivateKeyAccount } from "viem/accounts";
import { errorOf, expect, newWallet, sandboxControl, SANDBOX_URL, signIn, test } from "./api-helpers";

interface UnblockStep {
  status: "not_started" | "user_created" | "session_active" | "session_expired";
  userId?: string;
  email?: string;
  sessionExpiresAt?: string;
  otpSentAt?: string;
  account?: { currency: "EUR" | "GBP"; iban?: string; bic?: string; sortCode?: string; accountNumber?: string; accountHolder: string };
}
interface Onboarding {
  id: string;
  steps: { unblock: UnblockStep };
}

const ROUTES = ["user", "message", "login", "otp", "otp/verify", "account"] as const;
let counter = 0;
const newEmail = () => `e2e.${Date.now().toString(36)}.${++counter}@example.com`;
const form = (email = newEmail()) => ({ firstName: "Ada", lastName: "Lovelace", email, country: "DE" });

async function post(request: APIRequestContext, route: (typeof ROUTES)[number], data: unknown, expected = 200) {
  const response = await request.post(`/api/onboarding/unblock/${route}`, { data });
  expect(response.status(), `${route}: ${await response.text()}`).toBe(expected);
  return response;
}
const onboardingOf = async (response: Awaited<ReturnType<typeof post>>) => (await response.json()) as Onboarding;

/** Signed in, onboarding started, Unblock user created. */
async function withUser(request: APIRequestContext, baseURL: string, email = newEmail()) {
  const wallet = newWallet();
  await signIn(request, baseURL, wallet);
  const started = await request.post("/api/onboarding", { data: {} });
  expect(started.status(), await started.text()).toBe(201);
  const created = await onboardingOf(await post(request, "user", form(email)));
  expect(created.steps.unblock).toEqual({ status: "user_created", userId: expect.any(String), email, country: "DE" });
  return { wallet, email, onboarding: created };
}

async function walletSignIn(request: APIRequestContext, wallet: PrivateKeyAccount): Promise<Onboarding> {
  const { message } = (await (await post(request, "message", {})).json()) as { message: string };
  return onboardingOf(await post(request, "login", { signature: await wallet.signMessage({ message }) }));
}

async function mailedCode(request: APIRequestContext, email: string): Promise<string> {
  const response = await request.get(`${SANDBOX_URL}/_sandbox/mailbox?email=${encodeURIComponent(email)}`);
  expect(response.status()).toBe(200);
  const { items } = (await response.json()) as { items: { to: string; code: string }[] };
  const code = items.at(-1)?.code;
  expect(code, `an email to ${email}`).toMatch(/^\d{4,6}$/);
  return code!;
}

test("every Unblock route needs a signed-in wallet, an onboarding and the app's Origin", async ({ request, baseURL, playwright }) => {
  for (const route of ROUTES) {
    const response = await request.post(`/api/onboarding/unblock/${route}`, { data: {} });
    expect(response.status(), route).toBe(401);
    expect(await errorOf(response)).toMatchObject({ code: "not_signed_in" });
  }
  await signIn(request, baseURL!, newWallet());
  const bodies: Record<(typeof ROUTES)[number], unknown> = {
    user: form(),
    message: {},
    login: { signature: "0x00" },
    otp: {},
    "otp/verify": { code: "123456" },
    account: { currency: "EUR" },
  };
  for (const route of ROUTES) {
    const response = await request.post(`/api/onboarding/unblock/${route}`, { data: bodies[route] });
    expect(response.status(), route).toBe(404);
    expect(await errorOf(response)).toMatchObject({ code: "onboarding_not_found" });
  }
  const foreign = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { origin: "https://evil.example" } });
  const refused = await foreign.post("/api/onboarding/unblock/message", { data: {} });
  expect(refused.status()).toBe(403);
  expect(await errorOf(refused)).toMatchObject({ code: "origin_forbidden" });
  await foreign.dispose();
});

test("the form's errors come back field by field; a taken email is 409 on the email field", async ({ request, baseURL }) => {
  const wallet = newWallet();
  await signIn(request, baseURL!, wallet);
  expect((await request.post("/api/onboarding", { data: {} })).status()).toBe(201);

  const invalid = await post(request, "user", { firstName: "A", lastName: "L0velace", email: "nope", country: "Deutschland" }, 400);
  const error = await errorOf(invalid);
  expect(error).toMatchObject({ code: "invalid_request" });
  expect(Object.keys(error.fields as object).sort()).toEqual(["country", "email", "firstName", "lastName"]);

  // another wallet registers an email first; this one may not take it
  const taken = newEmail();
  const creator = newWallet();
  await signIn(request, baseURL!, creator);
  expect((await request.post("/api/onboarding", { data: {} })).status()).toBe(201);
  await post(request, "user", form(taken));
  await signIn(request, baseURL!, wallet);
  const duplicate = await post(request, "user", form(taken), 409);
  expect(await errorOf(duplicate)).toMatchObject({ code: "email_taken", fields: { email: expect.any(String) } });

  const current = (await (await request.get("/api/onboarding")).json()) as Onboarding;
  expect(current.steps.unblock).toEqual({ status: "not_started" });
});

test("the wallet way: message, signature, session, EUR account; a replayed signature is refused", async ({ request, baseURL }) => {
  const { wallet, email } = await withUser(request, baseURL!);
  const { message } = (await (await post(request, "message", {})).json()) as { message: string };
  const unblockHost = new URL(SANDBOX_URL).host;
  expect(message.startsWith(`${unblockHost} wants you to sign in with your Ethereum account:\n${wallet.address}\n\nSign in with Ethereum\n`)).toBe(true);
  expect(message).toContain(`URI: ${SANDBOX_URL}/unblock/auth/login`);
  expect(message).toContain("Chain ID: 80002");
  expect(message).toMatch(/\nExpiration Time: /);

  const byOther = await post(request, "login", { signature: await newWallet().signMessage({ message }) }, 400);
  expect(await errorOf(byOther)).toMatchObject({ code: "unblock_signature_invalid", reason: "bad_signature" });

  const signature = await wallet.signMessage({ message });
  const active = await onboardingOf(await post(request, "login", { signature }));
  expect(active.steps.unblock).toMatchObject({ status: "session_active", email });
  expect(Date.parse(active.steps.unblock.sessionExpiresAt!) - Date.now()).toBeGreaterThan(4 * 3600_000 - 60_000);

  const replay = await post(request, "login", { signature }, 409);
  expect(await errorOf(replay)).toMatchObject({ code: "unblock_message_required" });

  const withAccount = await onboardingOf(await post(request, "account", { currency: "EUR" }));
  expect(withAccount.steps.unblock.account).toEqual({
    currency: "EUR",
    iban: expect.stringMatching(/^[A-Z]{2}\d{2}[A-Z0-9]+$/),
    bic: expect.any(String),
    accountHolder: "Ada Lovelace",
  });
  const read = (await (await request.get("/api/onboarding")).json()) as Onboarding;
  expect(read.steps.unblock).toEqual(withAccount.steps.unblock);
  expect(JSON.stringify(read)).not.toMatch(/session_id|secret/i);

  const badCurrency = await post(request, "account", { currency: "USD" }, 400);
  expect(await errorOf(badCurrency)).toMatchObject({ code: "invalid_request" });
});

test("the email-code way: a code from the sandbox mailbox signs in, then a GBP account", async ({ request, baseURL }) => {
  const { email } = await withUser(request, baseURL!);
  const sent = await onboardingOf(await post(request, "otp", {}));
  expect(sent.steps.unblock).toMatchObject({ status: "user_created", otpSentAt: expect.any(String) });
  const code = await mailedCode(request, email);

  const malformed = await post(request, "otp/verify", { code: "12" }, 400);
  expect(await errorOf(malformed)).toMatchObject({ code: "invalid_request" });
  const wrong = String((Number(code) + 1) % 10 ** code.length).padStart(code.length, "0");
  expect(await errorOf(await post(request, "otp/verify", { code: wrong }, 400))).toMatchObject({ code: "otp_invalid" });

  const active = await onboardingOf(await post(request, "otp/verify", { code }));
  expect(active.steps.unblock).toMatchObject({ status: "session_active", sessionExpiresAt: expect.any(String) });
  const withAccount = await onboardingOf(await post(request, "account", { currency: "GBP" }));
  expect(withAccount.steps.unblock.account).toMatchObject({ currency: "GBP", sortCode: expect.stringMatching(/^\d{6}$/), accountNumber: expect.any(String) });
});

test("an expired session answers 401 unblock_session_expired, keeps everything, and signing in again works", async ({ request, baseURL }) => {
  const { wallet, email, onboarding } = await withUser(request, baseURL!);
  await walletSignIn(request, wallet);
  await post(request, "account", { currency: "EUR" });

  await sandboxControl(request, "/clock", { advanceSeconds: 14_401 });
  try {
    const refused = await post(request, "account", { currency: "GBP" }, 401);
    const error = await errorOf(refused);
    expect(error).toMatchObject({ code: "unblock_session_expired", reason: "expired" });
    expect((error.onboarding as Onboarding).steps.unblock).toMatchObject({
      status: "session_expired",
      email,
      userId: onboarding.steps.unblock.userId,
      account: { currency: "EUR" },
    });
    // still 4 h ahead at Unblock: a new message is stamped with Unblock's clock, so signing in again works
    const again = await walletSignIn(request, wallet);
    expect(again.steps.unblock).toMatchObject({ status: "session_active", email, account: { currency: "EUR" } });
    const gbp = await onboardingOf(await post(request, "account", { currency: "GBP" }));
    expect(gbp.steps.unblock.account).toMatchObject({ currency: "GBP" });
  } finally {
    // leave the sandbox on real time for the specs that follow
    await sandboxControl(request, "/clock", { advanceSeconds: -14_401 });
  }
});
