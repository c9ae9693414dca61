/**
 * The Bloq routes over HTTP against the running app and its sandbox Bloq (issue 5, shared/API.md): linking
 * a staking account (message → signature → linked, no token in any answer), the plain-words 404 of a wallet
 * Bloq does not know (through the sandbox's user switch), and /api/health's Bloq Connect "ok" after the
 * merchant's client access token expired once on the sandbox clock.
 */
import type { APIRequestContext } from "@playwright/test";
import { errorOf, expect, newWallet, sandboxControl, SANDBOX_URL, signIn, test } from "./api-helpers";

interface BloqStep {
  status: "not_started" | "message_issued" | "linked" | "not_allowed" | "failed";
  tokenExpiresAt?: string;
  message?: string;
}
interface Onboarding {
  id: string;
  steps: { bloq: BloqStep };
}

async function started(request: APIRequestContext, baseURL: string) {
  const wallet = newWallet();
  await signIn(request, baseURL, wallet);
  const response = await request.post("/api/onboarding", { data: {} });
  expect(response.status(), await response.text()).toBe(201);
  const onboarding = (await response.json()) as Onboarding;
  expect(onboarding.steps.bloq).toEqual({ status: "not_started" });
  return wallet;
}

test("both Bloq routes need a signed-in wallet, an onboarding and the app's Origin", async ({ request, baseURL, playwright }) => {
  for (const route of ["message", "login"]) {
    const response = await request.post(`/api/onboarding/bloq/${route}`, { data: route === "login" ? { signature: "0x00" } : {} });
    expect(response.status(), route).toBe(401);
    expect(await errorOf(response)).toMatchObject({ code: "not_signed_in" });
  }
  await signIn(request, baseURL!, newWallet());
  const missing = await request.post("/api/onboarding/bloq/message", { data: {} });
  expect(missing.status()).toBe(404);
  expect(await errorOf(missing)).toMatchObject({ code: "onboarding_not_found" });
  const badBody = await request.post("/api/onboarding/bloq/login", { data: { signature: "not hex" } });
  expect(badBody.status()).toBe(400);
  const foreign = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { origin: "https://evil.example" } });
  const refused = await foreign.post("/api/onboarding/bloq/message", { data: {} });
  expect(refused.status()).toBe(403);
  expect(await errorOf(refused)).toMatchObject({ code: "origin_forbidden" });
  await foreign.dispose();
});

test("a wallet links its Bloq staking account: message, signature, linked with tokenExpiresAt and no token", async ({ request, baseURL }) => {
  const wallet = await started(request, baseURL!);
  const issued = await request.post("/api/onboarding/bloq/message", { data: {} });
  expect(issued.status(), await issued.text()).toBe(200);
  const { message } = (await issued.json()) as { message: string };
  expect(message.split("\n").slice(0, 4)).toEqual([
    "api.bloq.com wants you to sign in with your Ethereum account:",
    wallet.address,
    "",
    "Signing In With Ethereum on Bloq",
  ]);
  const pending = (await (await request.get("/api/onboarding")).json()) as Onboarding;
  expect(pending.steps.bloq).toEqual({ status: "message_issued", message });

  const wrong = await request.post("/api/onboarding/bloq/login", { data: { signature: await newWallet().signMessage({ message }) } });
  expect(wrong.status()).toBe(400);
  const wrongError = await errorOf(wrong);
  expect(wrongError).toMatchObject({ code: "signature_invalid" });
  expect((wrongError.onboarding as Onboarding).steps.bloq).toEqual({ status: "message_issued", message });

  const linked = await request.post("/api/onboarding/bloq/login", { data: { signature: await wallet.signMessage({ message }) } });
  expect(linked.status(), await linked.text()).toBe(200);
  const text = await linked.text();
  const onboarding = JSON.parse(text) as Onboarding;
  expect(onboarding.steps.bloq).toEqual({ status: "linked", tokenExpiresAt: expect.any(String) });
  expect(Date.parse(onboarding.steps.bloq.tokenExpiresAt!) - Date.now()).toBeGreaterThan(11 * 3600_000);
  expect(text).not.toMatch(/eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\./); // no JWT anywhere
  expect(((await (await request.get("/api/onboarding")).json()) as Onboarding).steps.bloq.status).toBe("linked");
});

test("a wallet Bloq does not know gets the plain-words 404 and the not_allowed step", async ({ request, baseURL }) => {
  const wallet = await started(request, baseURL!);
  await sandboxControl(request, "/bloq/users", { address: wallet.address, known: false });
  const response = await request.post("/api/onboarding/bloq/message", { data: {} });
  expect(response.status()).toBe(404);
  const error = await errorOf(response);
  expect(error.code).toBe("bloq_address_not_allowed");
  expect(error.message).toMatch(/not on Bloq's list of staking customers/);
  expect(error.message).toMatch(/merchant/);
  expect((error.onboarding as Onboarding).steps.bloq).toEqual({ status: "not_allowed" });
  expect(((await (await request.get("/api/onboarding")).json()) as Onboarding).steps.bloq).toEqual({ status: "not_allowed" });
});

test("/api/health reports Bloq Connect ok after the client access token expired on the sandbox clock", async ({ request }) => {
  const before = await request.get("/api/health");
  expect(((await before.json()) as { providers: { bloq: string } }).providers.bloq).toBe("ok");
  await sandboxControl(request, "/clock", { advanceSeconds: 3_601 });
  const advancedAt = Date.now();
  try {
    // the background monitor's next check (every 2 s here) is the one after the token expired
    type Health = { checkedAt: string | null; providers: { bloq: string } };
    let after: Health | undefined;
    await expect
      .poll(
        async () => {
          const answer = await request.get("/api/health");
          expect(answer.status()).toBe(200);
          after = (await answer.json()) as Health;
          return after.checkedAt !== null && Date.parse(after.checkedAt) > advancedAt;
        },
        { timeout: 15_000, intervals: [250] },
      )
      .toBe(true);
    expect(after!.providers.bloq).toBe("ok");
  } finally {
    const back = await request.post(`${SANDBOX_URL}/_sandbox/clock`, { data: { advanceSeconds: -3_601 } });
    expect(back.status()).toBeLessThan(300);
  }
});
