/**
 * OffBlocks webhooks end to end: the app registered PUBLIC_URL/api/webhooks/offblocks/<secret> at start, and
 * the sandbox started by `npm start` delivers `customer.updated` to it as OffBlocks would (no Origin, no
 * cookie). The secret is the one the app generated into DATA_DIR (sandbox mode).
 */
import fs from "node:fs";
import path from "node:path";
import { randomUUID } from "node:crypto";
import type { PrivateKeyAccount } from "viem/accounts";
import { expect, newWallet, SANDBOX_URL, signIn, test } from "./api-helpers";

interface Onboarding {
  id: string;
  status: string;
  steps: { offblocks: { status: string; customerId?: string; challenge?: { message: string } } };
}
interface Delivery {
  eventId: string;
  callbackUrl: string;
  attempt: number;
  status?: number;
}

const webhookSecret = () => fs.readFileSync(path.join(process.env.E2E_DATA_DIR!, "offblocks-webhook-secret"), "utf8").trim();

async function deliveries(): Promise<Delivery[]> {
  return ((await (await fetch(`${SANDBOX_URL}/_sandbox/webhooks/deliveries`)).json()) as { items: Delivery[] }).items;
}

/** A POST as OffBlocks sends it: Node's fetch, no Origin, no cookie. */
const deliver = (baseURL: string, secret: string, body: unknown) =>
  fetch(`${baseURL}/api/webhooks/offblocks/${encodeURIComponent(secret)}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });

test("the sandbox delivers customer.updated to the app, which answers 200 once stored", async ({ request, baseURL }) => {
  const wallet: PrivateKeyAccount = newWallet();
  await signIn(request, baseURL!, wallet);
  const started = (await (await request.post("/api/onboarding", { data: {} })).json()) as Onboarding;
  const before = new Set((await deliveries()).map((d) => d.eventId));

  const signed = await request.post("/api/onboarding/offblocks/sign", {
    data: { signature: await wallet.signMessage({ message: started.steps.offblocks.challenge!.message }) },
  });
  expect(signed.status(), await signed.text()).toBe(200);

  // screening → verifying → active: one event each, delivered to our URL and answered 200
  const callbackUrl = `${new URL(baseURL!).origin}/api/webhooks/offblocks/${webhookSecret()}`;
  await expect
    .poll(async () => new Set((await deliveries()).filter((d) => !before.has(d.eventId) && d.status === 200).map((d) => d.eventId)).size, {
      timeout: 15_000,
    })
    .toBeGreaterThanOrEqual(3);
  const ours = (await deliveries()).filter((d) => !before.has(d.eventId));
  expect(ours.every((d) => d.callbackUrl === callbackUrl)).toBe(true);
  expect(ours.filter((d) => d.status !== 200)).toEqual([]);
  await expect
    .poll(async () => ((await (await request.get("/api/onboarding")).json()) as Onboarding).steps.offblocks.status, { timeout: 10_000 })
    .toBe("active");
});

test("the webhook route: wrong secret 404, bad body 400, duplicate and unknown customer 200 — no Origin needed", async ({ baseURL }) => {
  const secret = webhookSecret();
  const customer = {
    id: randomUUID(),
    externalId: randomUUID(),
    chainId: `eip155:300:${newWallet().address}`,
    status: "active",
    createdAt: new Date().toISOString(),
    updatedAt: new Date().toISOString(),
  };
  const body = { ...customer, webhookType: "customer.updated", eventId: randomUUID() };

  for (const wrong of ["wrong", `${secret}x`, secret.slice(1)]) {
    const response = await deliver(baseURL!, wrong, body);
    expect(response.status, wrong).toBe(404);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe("not_found");
  }
  for (const bad of ["{", { ...body, eventId: "nope" }, { webhookType: "customer.updated", eventId: randomUUID() }]) {
    const response = await deliver(baseURL!, secret, bad);
    expect(response.status, JSON.stringify(bad)).toBe(400);
  }
  const first = await deliver(baseURL!, secret, body);
  expect(first.status).toBe(200);
  expect(await first.json()).toEqual({ received: true, outcome: "ignored" });
  const again = await deliver(baseURL!, secret, body);
  expect(await again.json()).toEqual({ received: true, outcome: "duplicate" });
});
