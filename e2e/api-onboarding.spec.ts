/** The onboarding API over HTTP against the running app and its sandbox OffBlocks (shared/API.md). */
import type { APIRequestContext } from "@playwright/test";
import type { PrivateKeyAccount } from "viem/accounts";
import { errorOf, expect, newWallet, sandboxControl, SANDBOX_URL, signIn, test } from "./api-helpers";

interface Onboarding {
  id: string;
  address: string;
  chainId: number;
  status: "pending" | "verified" | "failed";
  steps: { offblocks: { status: string; customerId?: string; challenge?: { message: string; expiresAt: string } } };
}

const sign = (wallet: PrivateKeyAccount, onboarding: Onboarding) => wallet.signMessage({ message: onboarding.steps.offblocks.challenge!.message });

async function start(request: APIRequestContext, expected: 200 | 201): Promise<Onboarding> {
  const response = await request.post("/api/onboarding", { data: {} });
  expect(response.status(), await response.text()).toBe(expected);
  return (await response.json()) as Onboarding;
}

test("every onboarding route needs a signed-in wallet", async ({ request }) => {
  for (const [method, path] of [
    ["GET", "/api/onboarding"],
    ["POST", "/api/onboarding"],
    ["POST", "/api/onboarding/offblocks/challenge"],
    ["POST", "/api/onboarding/offblocks/sign"],
  ] as const) {
    const response = await request.fetch(path, { method, data: method === "POST" ? {} : undefined });
    expect(response.status(), path).toBe(401);
    expect(await errorOf(response)).toMatchObject({ code: "not_signed_in" });
  }
});

test("the whole OffBlocks verification to active, over HTTP", async ({ request, baseURL }) => {
  const wallet = newWallet();
  await signIn(request, baseURL!, wallet);

  const none = await request.get("/api/onboarding");
  expect(none.status()).toBe(404);
  expect(await errorOf(none)).toMatchObject({ code: "onboarding_not_found" });

  const created = await start(request, 201);
  expect(created).toMatchObject({ address: wallet.address, chainId: 300, status: "pending", steps: { offblocks: { status: "challenge_issued" } } });
  const challenge = created.steps.offblocks.challenge!;
  const offblocksHost = new URL(SANDBOX_URL).host;
  expect(challenge.message).toContain(`${offblocksHost} wants you to sign in with your Ethereum account:\n${wallet.address}`);
  expect(Date.parse(challenge.expiresAt)).toBeGreaterThan(Date.now());
  expect(await start(request, 200)).toEqual(created);

  // a signature by another wallet is refused here, with the challenge to sign
  const wrong = await request.post("/api/onboarding/offblocks/sign", { data: { signature: await sign(newWallet(), created) } });
  expect(wrong.status()).toBe(400);
  const refusal = await errorOf(wrong);
  expect(refusal).toMatchObject({ code: "signature_invalid", reason: "bad_signature" });
  expect((refusal.onboarding as Onboarding).steps.offblocks.challenge).toEqual(challenge);

  const notHex = await request.post("/api/onboarding/offblocks/sign", { data: { signature: "hello" } });
  expect(notHex.status()).toBe(400);
  expect(await errorOf(notHex)).toMatchObject({ code: "invalid_request" });

  const refreshed = await request.post("/api/onboarding/offblocks/challenge");
  expect(refreshed.status()).toBe(200);
  expect(((await refreshed.json()) as Onboarding).steps.offblocks.challenge).toEqual(challenge);

  const signed = await request.post("/api/onboarding/offblocks/sign", { data: { signature: await sign(wallet, created) } });
  expect(signed.status(), await signed.text()).toBe(200);
  const verified = (await signed.json()) as Onboarding;
  expect(["verified", "screening", "verifying", "active"]).toContain(verified.steps.offblocks.status);
  expect(verified.steps.offblocks.challenge).toBeUndefined();

  // the sandbox approves screening and KYC by itself; the app follows the customer
  await expect
    .poll(
      async () => {
        const current = (await (await request.get("/api/onboarding")).json()) as Onboarding;
        return `${current.status} ${current.steps.offblocks.status}`;
      },
      { timeout: 20_000, intervals: [500] },
    )
    .toBe("verified active");
});

test("an expired challenge (sandbox clock) answers 410 with a fresh one, which signs fine", async ({ request, baseURL }) => {
  const wallet = newWallet();
  await signIn(request, baseURL!, wallet);
  const created = await start(request, 201);
  const oldSignature = await sign(wallet, created);
  await sandboxControl(request, "/clock", { advanceSeconds: 3_601 });

  const expired = await request.post("/api/onboarding/offblocks/sign", { data: { signature: oldSignature } });
  expect(expired.status()).toBe(410);
  const error = await errorOf(expired);
  expect(error).toMatchObject({ code: "challenge_expired" });
  const fresh = error.onboarding as Onboarding;
  expect(fresh.steps.offblocks.status).toBe("challenge_issued");
  expect(fresh.steps.offblocks.challenge!.message).not.toBe(created.steps.offblocks.challenge!.message);

  const signed = await request.post("/api/onboarding/offblocks/sign", { data: { signature: await sign(wallet, fresh) } });
  expect(signed.status(), await signed.text()).toBe(200);
});

test("OffBlocks down: a clear 502 JSON error, and the onboarding carries on once it is back", async ({ request, baseURL }) => {
  const wallet = newWallet();
  await signIn(request, baseURL!, wallet);
  await sandboxControl(request, "/faults", { provider: "offblocks", path: "/customers", method: "POST", status: 503, rate: 1 });
  try {
    const down = await request.post("/api/onboarding", { data: {} });
    expect(down.status()).toBe(502);
    expect(await errorOf(down)).toMatchObject({ code: "offblocks_unavailable" });
  } finally {
    const cleared = await request.delete(`${SANDBOX_URL}/_sandbox/faults`);
    expect(cleared.status()).toBe(204);
  }
  const back = await start(request, 200);
  expect(back.steps.offblocks.status).toBe("challenge_issued");
});

test("a foreign Origin cannot start or sign", async ({ request, baseURL }) => {
  await signIn(request, baseURL!, newWallet());
  const response = await request.post("/api/onboarding", { data: {}, headers: { origin: "https://evil.example" } });
  expect(response.status()).toBe(403);
  expect(await errorOf(response)).toMatchObject({ code: "origin_forbidden" });
  expect((await request.get("/api/onboarding")).status()).toBe(404);
});
