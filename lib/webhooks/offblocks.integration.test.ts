/**
 * The OffBlocks webhook handler against the real OffBlocks emulator (sandbox/server.ts on port 0), the real
 * OffBlocks client and the onboarding module, on a real database (PGlite, and Postgres when
 * TEST_DATABASE_URL is set). The handler module is called with a Request, as the route does; the last test
 * lets the sandbox really deliver to a local node:http server that forwards to the handler.
 */
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { and, asc, eq } from "drizzle-orm";
import { generatePrivateKey, privateKeyToAccount, type PrivateKeyAccount } from "viem/accounts";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startSandbox, type SandboxHandle } from "../../sandbox/server";
import type { Database } from "../db/client";
import { onboardingEvents, onboardingSteps, onboardings, webhookDeliveries } from "../db/schema";
import { openTestDatabase, testDatabaseKinds, type TestDatabaseKind } from "../db/test-databases";
import { createLogger } from "../log";
import { createOnboardingService, type OnboardingService } from "../onboarding/service";
import { type Customer, type CustomerWebhookPayload, type OffblocksClient } from "../providers/offblocks";
import { createOffblocksWebhookHandler, type OffblocksWebhookHandler } from "./offblocks-handler";
import { offblocksWebhookUrl, registerOffblocksWebhook } from "./offblocks-registration";
import { newTestSigningKey, sandboxOffblocksClient } from "../../testing/sandbox-offblocks";

const silent = createLogger({ level: "silent" });
const DATA_KEY = "webhook-integration-data-key-0123456789ab";
const SECRET = "test-webhook-secret-0123456789abcdefghij";
const signingKey = newTestSigningKey();
const newWallet = (): PrivateKeyAccount => privateKeyToAccount(generatePrivateKey());

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`condition not reached; last value ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe.each(testDatabaseKinds())("OffBlocks webhooks against the sandbox, database on %s", (kind: TestDatabaseKind) => {
  let sandbox: SandboxHandle;
  let database: Database;
  let dataDir: string;
  let client: OffblocksClient;
  let onboarding: OnboardingService;
  let handle: OffblocksWebhookHandler;
  let mark = 0;

  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0, autoAdvanceMs: false, webhookRetry: { baseMs: 20, maxAttempts: 6 } });
    database = await openTestDatabase(kind);
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "webhooks-it-"));
    client = sandboxOffblocksClient(database.db, sandbox, { dataDir, dataKey: DATA_KEY, signingKey });
    onboarding = serviceWith(client);
    handle = handlerWith(onboarding);
  });
  afterAll(async () => {
    await sandbox?.close();
    await database?.close();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });
  beforeEach(async () => {
    await control("DELETE", "/faults");
    mark = sandbox.requests.length;
  });

  function serviceWith(offblocks: OffblocksClient): OnboardingService {
    return createOnboardingService({ db: database.db, offblocks, offblocksBaseUrl: sandbox.offblocksUrl, logger: silent, followIntervalMs: 0 });
  }
  function handlerWith(service: OnboardingService): OffblocksWebhookHandler {
    return createOffblocksWebhookHandler({
      db: database.db,
      secret: SECRET,
      applyCustomerUpdate: (customerId) => service.applyOffblocksCustomerUpdate(customerId),
      logger: silent,
    });
  }

  async function control(method: string, route: string, body?: unknown): Promise<void> {
    const response = await fetch(`${sandbox.url}/_sandbox${route}`, {
      method,
      headers: body === undefined ? {} : { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (response.status >= 300) throw new Error(`sandbox control ${route}: ${response.status} ${await response.text()}`);
  }

  /** OffBlocks customer reads served since the test began. */
  const customerReads = () =>
    sandbox.requests.slice(mark).filter((r) => r.method === "GET" && /^\/offblocks\/v1\/customers\/[0-9a-f-]{36}$/.test(r.path)).length;

  const post = (body: unknown, secret = SECRET, h = handle) =>
    h(
      new Request(`http://localhost${offblocksWebhookUrl("", secret)}`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: typeof body === "string" ? body : JSON.stringify(body),
      }),
      secret,
    );

  const payload = (customer: Customer, overrides: Partial<CustomerWebhookPayload> = {}): CustomerWebhookPayload => ({
    ...customer,
    webhookType: "customer.updated",
    eventId: randomUUID(),
    ...overrides,
  });

  /** A wallet onboarded up to `screening` (its challenge signed); its onboarding id and customer id. */
  async function screenedWallet(): Promise<{ onboardingId: string; customerId: string }> {
    const wallet = newWallet();
    const { onboarding: started } = await onboarding.start({ address: wallet.address, chainId: 300 });
    const signature = await wallet.signMessage({ message: started.steps.offblocks.challenge!.message });
    const view = await onboarding.submitOffblocksSignature(wallet.address, signature);
    expect(view.steps.offblocks.status).toBe("screening");
    return { onboardingId: view.id, customerId: view.steps.offblocks.customerId! };
  }

  async function step(onboardingId: string) {
    const [row] = await database.db
      .select()
      .from(onboardingSteps)
      .where(and(eq(onboardingSteps.onboardingId, onboardingId), eq(onboardingSteps.provider, "offblocks")));
    return row!;
  }
  const onboardingStatus = async (onboardingId: string) =>
    (await database.db.select({ status: onboardings.status }).from(onboardings).where(eq(onboardings.id, onboardingId)))[0]?.status;
  const stepChanges = async (onboardingId: string) =>
    (await database.db.select().from(onboardingEvents).where(eq(onboardingEvents.onboardingId, onboardingId)).orderBy(asc(onboardingEvents.id)))
      .filter((e) => e.type === "status_change" && e.provider === "offblocks")
      .map((e) => `${String(e.data.from)}→${String(e.data.to)} (${String(e.data.cause)})`);
  const delivery = async (eventId: string) => (await database.db.select().from(webhookDeliveries).where(eq(webhookDeliveries.eventId, eventId)))[0];

  it("refuses a wrong secret with 404, before reading the body or calling OffBlocks", async () => {
    const { customerId } = await screenedWallet();
    mark = sandbox.requests.length;
    const body = payload(await client.getCustomer(customerId));
    for (const secret of ["", "wrong", `${SECRET}x`, SECRET.slice(0, -1), SECRET.toUpperCase()]) {
      const response = await post(body, secret);
      expect(response.status, secret).toBe(404);
      expect(await response.json()).toMatchObject({ error: { code: "not_found" } });
    }
    expect(customerReads()).toBe(1); // only the test's own read
    expect(await delivery(body.eventId)).toBeUndefined();
  });

  it("answers a bad body 400 (never a 5xx), and a type it did not subscribe to 200, ignored", async () => {
    const { customerId } = await screenedWallet();
    const customer = await client.getCustomer(customerId);
    mark = sandbox.requests.length;
    for (const body of [
      "not json",
      "",
      "[]",
      { ...payload(customer), eventId: "not-a-uuid" },
      { ...payload(customer), id: "not-a-uuid" },
      { ...payload(customer), status: "asleep" },
      { webhookType: "customer.updated", eventId: randomUUID() },
      { ...customer },
    ]) {
      const response = await post(body);
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect(((await response.json()) as { error: { code: string } }).error.code).toMatch(/^(invalid_json|invalid_request)$/);
    }
    const other = await post({ webhookType: "card.updated", eventId: randomUUID(), id: randomUUID() });
    expect(other.status).toBe(200);
    expect(await other.json()).toEqual({ received: true, outcome: "ignored" });
    expect(customerReads()).toBe(0);
  });

  it("treats the body as a hint: re-fetches the customer and stores its real status before answering 200", async () => {
    const { onboardingId, customerId } = await screenedWallet();
    await client.simulateVerify(customerId); // OffBlocks: active (no webhook registered yet: nobody told us)
    expect((await step(onboardingId)).status).toBe("screening");

    // the body lies (rejected): the re-fetched customer (active) is what counts
    const body = payload(await client.getCustomer(customerId), { status: "rejected" });
    mark = sandbox.requests.length;
    const response = await post(body);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ received: true, outcome: "applied" });
    expect(customerReads()).toBe(1);
    // stored by the time the answer came
    expect((await step(onboardingId)).status).toBe("active");
    expect(await onboardingStatus(onboardingId)).toBe("verified");
    expect(await stepChanges(onboardingId)).toContain("screening→active (customer_webhook)");
    expect(await delivery(body.eventId)).toMatchObject({ provider: "offblocks", entityId: customerId, outcome: "applied", onboardingId });
  });

  it("deduplicates by eventId: a redelivery answers 200 without re-fetching or writing", async () => {
    const { onboardingId, customerId } = await screenedWallet();
    await client.simulateVerify(customerId);
    const body = payload(await client.getCustomer(customerId));
    expect((await post(body)).status).toBe(200);
    const changes = await stepChanges(onboardingId);
    mark = sandbox.requests.length;

    for (let i = 0; i < 3; i++) {
      const again = await post(body);
      expect(again.status).toBe(200);
      expect(await again.json()).toEqual({ received: true, outcome: "duplicate" });
    }
    // the same event delivered several times at once
    const concurrent = await Promise.all([post(body), post(body), post(body)]);
    expect(concurrent.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(customerReads()).toBe(0);
    expect(await stepChanges(onboardingId)).toEqual(changes);
  });

  it("answers a delivery that says nothing new (the step's status, or an older one) without asking OffBlocks; one that says more is re-fetched", async () => {
    const hinted = createOffblocksWebhookHandler({
      db: database.db,
      secret: SECRET,
      applyCustomerUpdate: (customerId, hint) => onboarding.applyOffblocksCustomerUpdate(customerId, hint),
      logger: silent,
    });
    const { onboardingId, customerId } = await screenedWallet();
    const screening = await client.getCustomer(customerId);
    mark = sandbox.requests.length;
    expect(await (await post(payload(screening), SECRET, hinted)).json()).toEqual({ received: true, outcome: "unchanged" });
    expect(customerReads()).toBe(0);

    await client.simulateVerify(customerId);
    const active = payload(await client.getCustomer(customerId));
    mark = sandbox.requests.length;
    expect(await (await post(active, SECRET, hinted)).json()).toEqual({ received: true, outcome: "applied" });
    expect(customerReads()).toBe(1);
    expect((await step(onboardingId)).status).toBe("active");

    mark = sandbox.requests.length;
    const late = payload(screening);
    expect(await (await post(late, SECRET, hinted)).json()).toEqual({ received: true, outcome: "stale" });
    expect(customerReads()).toBe(0);
    expect(await delivery(late.eventId)).toMatchObject({ outcome: "stale", onboardingId });
    // a hint naming another onboarding is no shortcut: the customer is re-fetched (ours, active: unchanged)
    mark = sandbox.requests.length;
    expect(await (await post(payload(screening, { externalId: randomUUID() }), SECRET, hinted)).json()).toEqual({ received: true, outcome: "unchanged" });
    expect(customerReads()).toBe(1);
    expect((await step(onboardingId)).status).toBe("active");
  });

  it("handles out-of-order delivery: an older event after a newer one never moves the step backwards", async () => {
    const { onboardingId, customerId } = await screenedWallet();
    const older = payload(await client.getCustomer(customerId)); // screening
    await client.simulateVerify(customerId);
    const newer = payload(await client.getCustomer(customerId)); // active

    expect(await (await post(newer)).json()).toEqual({ received: true, outcome: "applied" });
    expect((await step(onboardingId)).status).toBe("active");
    const late = await post(older);
    expect(late.status).toBe(200);
    expect(await late.json()).toEqual({ received: true, outcome: "unchanged" }); // the re-fetch says active
    expect((await step(onboardingId)).status).toBe("active");
    expect(await stepChanges(onboardingId)).toEqual([
      "not_started→challenge_issued (customer_created)",
      "challenge_issued→verified (signature_accepted)",
      "verified→screening (signature_accepted)",
      "screening→active (customer_webhook)",
    ]);
  });

  it("never applies a re-fetched state older than the stored one (two deliveries processed side by side)", async () => {
    const { onboardingId, customerId } = await screenedWallet();
    const screening = await client.getCustomer(customerId);
    await client.simulateVerify(customerId);
    expect(await (await post(payload(await client.getCustomer(customerId)))).json()).toMatchObject({ outcome: "applied" });

    // a slower handler whose re-fetch answered before the customer became active
    const slow: OffblocksClient = { ...client, getCustomer: async () => screening };
    const response = await post(payload(screening), SECRET, handlerWith(serviceWith(slow)));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ received: true, outcome: "stale" });
    expect((await step(onboardingId)).status).toBe("active");
    expect(await onboardingStatus(onboardingId)).toBe("verified");
  });

  it("answers 503 when the re-fetch fails, leaves the eventId unmarked, and the retry succeeds", async () => {
    const { onboardingId, customerId } = await screenedWallet();
    await client.simulateVerify(customerId);
    const body = payload(await client.getCustomer(customerId));
    await control("POST", "/faults", { provider: "offblocks", path: `/customers/${customerId}`, method: "GET", status: 503, rate: 1 });

    const failed = await post(body);
    expect(failed.status).toBe(503);
    expect(failed.headers.get("retry-after")).toBe("5");
    expect(await failed.json()).toMatchObject({ error: { code: "webhook_retry_later" } });
    expect(await delivery(body.eventId)).toBeUndefined();
    expect((await step(onboardingId)).status).toBe("screening");

    await control("DELETE", "/faults");
    const retried = await post(body);
    expect(retried.status).toBe(200);
    expect(await retried.json()).toEqual({ received: true, outcome: "applied" });
    expect((await step(onboardingId)).status).toBe("active");
    expect(await delivery(body.eventId)).toMatchObject({ outcome: "applied" });
  });

  it("ignores (200) a customer that is not ours, without asking OffBlocks", async () => {
    const stranger = await client.createCustomer({ onboardingId: randomUUID(), caip10: `eip155:300:${newWallet().address}` });
    mark = sandbox.requests.length;
    const body = payload(stranger.customer);
    const response = await post(body);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ received: true, outcome: "ignored" });
    expect(customerReads()).toBe(0);
    expect(await delivery(body.eventId)).toMatchObject({ outcome: "ignored", onboardingId: null });
  });

  it("registers once (restarts reuse the webhook) and follows the sandbox's real deliveries, retried after a 503", async () => {
    const server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (chunk: Buffer) => chunks.push(chunk));
      req.on("end", () => {
        const url = new URL(req.url ?? "/", "http://127.0.0.1");
        const secret = decodeURIComponent(url.pathname.split("/").pop() ?? "");
        const request = new Request(url, { method: req.method, headers: { "content-type": req.headers["content-type"] ?? "" }, body: Buffer.concat(chunks) });
        void handle(request, secret).then(async (response) => {
          res.writeHead(response.status, { "content-type": "application/json" });
          res.end(Buffer.from(await response.arrayBuffer()));
        });
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const publicUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const callbackUrl = offblocksWebhookUrl(publicUrl, SECRET);
      const first = await registerOffblocksWebhook(client, callbackUrl);
      expect(first.action).toBe("created");
      const restart = await registerOffblocksWebhook(client, callbackUrl);
      expect(restart).toMatchObject({ action: "unchanged", webhook: { id: first.webhook.id } });
      // a new secret: the same webhook, its URL replaced
      const rotated = await registerOffblocksWebhook(client, offblocksWebhookUrl(publicUrl, `${SECRET}-rotated`));
      expect(rotated).toMatchObject({ action: "updated", webhook: { id: first.webhook.id } });
      await registerOffblocksWebhook(client, callbackUrl);
      const ours = (await client.listWebhooks()).filter((w) => w.callbackUrl.startsWith(publicUrl));
      expect(ours).toEqual([expect.objectContaining({ id: first.webhook.id, callbackUrl, types: ["customer.updated"] })]);

      const { onboardingId, customerId } = await screenedWallet();
      // the signature's own event (initiating → screening) arrives too: nothing new, the step is screening
      const forOnboarding = () => database.db.select().from(webhookDeliveries).where(eq(webhookDeliveries.onboardingId, onboardingId));
      expect((await until(forOnboarding, (rows) => rows.length === 1))[0]).toMatchObject({ outcome: "unchanged" });
      // the first re-fetch of the delivery fails (twice: our client retries once) → 503 → OffBlocks retries
      await control("POST", "/faults", { provider: "offblocks", path: `/customers/${customerId}`, method: "GET", status: 503, rate: 1, times: 2 });
      await client.simulateVerify(customerId);
      await until(
        () => step(onboardingId),
        (row) => row.status === "active",
      );
      expect(await onboardingStatus(onboardingId)).toBe("verified");
      expect(await stepChanges(onboardingId)).toContain("screening→active (customer_webhook)");

      const deliveries = (await (await fetch(`${sandbox.url}/_sandbox/webhooks/deliveries`)).json()) as {
        items: Array<{ eventId: string; callbackUrl: string; attempt: number; status?: number }>;
      };
      const rows = await forOnboarding();
      const activeEvent = rows.find((row) => row.outcome === "applied");
      expect(activeEvent).toBeDefined();
      const attempts = deliveries.items.filter((d) => d.eventId === activeEvent!.eventId).map((d) => d.status);
      expect(attempts).toEqual([503, 200]);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
