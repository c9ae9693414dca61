/**
 * The background jobs against the real OffBlocks emulator (sandbox/server.ts on port 0, which moves customers
 * on by itself and delivers no webhook: none is registered), the real OffBlocks client, the onboarding
 * service and the job queue (pg-boss) on a real database — PGlite, and Postgres when TEST_DATABASE_URL is
 * set, where a second connection pool with its own workers plays a second instance of the fleet.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { and, asc, eq } from "drizzle-orm";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startSandbox, type SandboxHandle } from "../../sandbox/server";
import { sweepSignIns } from "../auth/sweep";
import { openDatabase, type Database } from "../db/client";
import { onboardingEvents, onboardingSteps, signInNonces, webhookDeliveries } from "../db/schema";
import { openTestDatabase, testDatabaseKinds, type TestDatabaseKind } from "../db/test-databases";
import { createOnboardingService, type OnboardingService } from "../onboarding/service";
import type { OffblocksClient } from "../providers/offblocks";
import { newTestSigningKey, sandboxOffblocksClient, silentLogger } from "../../testing/sandbox-offblocks";
import { createCustomerDeliveryProcessor, createOffblocksWebhookHandler } from "../webhooks/offblocks-handler";
import { offblocksWebhookUrl } from "../webhooks/offblocks-registration";
import type { FollowBackoff } from "./follow-job";
import { createJobQueue, FOLLOW_QUEUE, type JobQueue } from "./queue";
import { startJobWorkers } from "./workers";

const DATA_KEY = "jobs-integration-data-key-0123456789abcdef";
const SECRET = "jobs-test-webhook-secret-0123456789abcdefgh";
const BACKOFF: FollowBackoff = { baseSeconds: 1, maxDelaySeconds: 2 };
const signingKey = newTestSigningKey();

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`condition not reached; last value ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** One app instance: its database handle, OffBlocks client, onboarding service, queue and workers. */
interface Instance {
  database: Database;
  client: OffblocksClient;
  service: OnboardingService;
  queue: JobQueue;
  /** follow job ids this instance ran */
  ran: string[];
  stop(): Promise<void>;
}

describe.each(testDatabaseKinds())("background jobs against the sandbox, database on %s", (kind: TestDatabaseKind) => {
  let sandbox: SandboxHandle;
  let database: Database & { postgresUrl?: string };
  let dataDir: string;
  let mark = 0;
  const instances: Instance[] = [];

  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0, autoAdvanceMs: 300 });
    database = await openTestDatabase(kind);
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "jobs-it-"));
  });
  afterAll(async () => {
    for (const instance of instances.splice(0)) await instance.stop();
    await sandbox?.close();
    await database?.close();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });
  beforeEach(async () => {
    await control("DELETE", "/faults");
    mark = sandbox.requests.length;
  });
  afterEach(() => stopAll());

  async function control(method: string, route: string, body?: unknown): Promise<void> {
    const response = await fetch(`${sandbox.url}/_sandbox${route}`, {
      method,
      headers: body === undefined ? {} : { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (response.status >= 300) throw new Error(`sandbox control ${route}: ${response.status} ${await response.text()}`);
  }

  /**
   * An instance on `db` (default: the test database). `scheduling: false` leaves out the hook that enqueues a
   * follow-up when a customer is created or signed (an enqueue lost in a crash), `workers: false` the workers.
   */
  async function instance(options: { db?: Database; scheduling?: boolean; workers?: boolean } = {}): Promise<Instance> {
    const db = options.db ?? database;
    const client = sandboxOffblocksClient(db.db, sandbox, { dataDir, dataKey: DATA_KEY, signingKey });
    const queue = createJobQueue({ executeSql: db.executeSql, logger: silentLogger, pollingIntervalSeconds: 0.5, recoverCron: null });
    await queue.start();
    const service = createOnboardingService({
      db: db.db,
      offblocks: client,
      offblocksBaseUrl: sandbox.offblocksUrl,
      logger: silentLogger,
      followIntervalMs: 0,
      scheduleFollow:
        options.scheduling === false ? undefined : (id) => queue.scheduleFollow({ onboardingId: id, attempt: 0 }, BACKOFF.baseSeconds, { sooner: true }),
    });
    const ran: string[] = [];
    if (options.workers !== false) {
      await startJobWorkers({
        queue,
        onboarding: {
          followedOnboardings: (after, limit) => service.followedOnboardings(after, limit),
          followOffblocksCustomer: async (id) => {
            const result = await service.followOffblocksCustomer(id);
            ran.push(id);
            return result;
          },
        },
        processDelivery: createCustomerDeliveryProcessor({ db: db.db, applyCustomerUpdate: (id) => service.applyOffblocksCustomerUpdate(id) }),
        logger: silentLogger,
        backoff: BACKOFF,
        housekeeping: () => sweepSignIns(db.db, new Date()),
      });
    }
    const made: Instance = {
      database: db,
      client,
      service,
      queue,
      ran,
      async stop() {
        await queue.stop(2_000);
        if (db !== database) await db.close();
      },
    };
    instances.push(made);
    return made;
  }

  async function stopAll(): Promise<void> {
    for (const running of instances.splice(0)) await running.stop();
  }

  /** A wallet that started and signed its challenge (the step is screening), then closed the tab. */
  async function signedWallet(service: OnboardingService): Promise<{ onboardingId: string; customerId: string }> {
    const wallet = privateKeyToAccount(generatePrivateKey());
    const { onboarding } = await service.start({ address: wallet.address, chainId: 300 });
    const signature = await wallet.signMessage({ message: onboarding.steps.offblocks.challenge!.message });
    const view = await service.submitOffblocksSignature(wallet.address, signature);
    expect(view.steps.offblocks.status).toBe("screening");
    return { onboardingId: view.id, customerId: view.steps.offblocks.customerId! };
  }

  const stepStatus = async (onboardingId: string) =>
    (
      await database.db
        .select({ status: onboardingSteps.status })
        .from(onboardingSteps)
        .where(and(eq(onboardingSteps.onboardingId, onboardingId), eq(onboardingSteps.provider, "offblocks")))
    )[0]?.status;
  const stepChanges = async (onboardingId: string) =>
    (await database.db.select().from(onboardingEvents).where(eq(onboardingEvents.onboardingId, onboardingId)).orderBy(asc(onboardingEvents.id)))
      .filter((e) => e.type === "status_change" && e.provider === "offblocks")
      .map((e) => `${String(e.data.from)}→${String(e.data.to)} (${String(e.data.cause)})`);
  /** OffBlocks customer reads served since the test began, for these customers. */
  const customerReads = (customerIds: string[]) =>
    sandbox.requests.slice(mark).filter((r) => r.method === "GET" && customerIds.some((id) => r.path === `/offblocks/v1/customers/${id}`)).length;
  /** Follow-ups waiting for this onboarding in the queue. */
  const waitingFollowUps = async (onboardingId: string) =>
    Number(
      (
        await database.executeSql(`SELECT count(*)::int AS n FROM pgboss.job WHERE name = $1 AND singleton_key = $2 AND state IN ('created', 'retry')`, [
          FOLLOW_QUEUE,
          onboardingId,
        ])
      ).rows[0]?.n,
    );

  it("an onboarding whose user signed and never polled again reaches active by the jobs alone", async () => {
    const app = await instance();
    const { onboardingId } = await signedWallet(app.service);
    // nobody calls the service again: no page poll, no webhook (none registered)
    await until(
      () => stepStatus(onboardingId),
      (status) => status === "active",
    );
    const changes = await stepChanges(onboardingId);
    expect(changes.filter((c) => c.includes("→active"))).toEqual([expect.stringMatching(/→active \(customer_followed_in_background\)$/)]);
    // the chain ended with the step final: nothing left waiting
    await until(
      () => waitingFollowUps(onboardingId),
      (n) => n === 0,
      5_000,
    );
  });

  it("a webhook whose re-fetch failed is retried by a job and applied later", async () => {
    const app = await instance({ scheduling: false }); // no follow-up chain: only the retry job can apply it
    const { onboardingId, customerId } = await signedWallet(app.service);
    await app.client.simulateVerify(customerId);
    const customer = await app.client.getCustomer(customerId);
    const handle = createOffblocksWebhookHandler({
      db: database.db,
      secret: SECRET,
      applyCustomerUpdate: (id) => app.service.applyOffblocksCustomerUpdate(id),
      logger: silentLogger,
      retryLater: (delivery) => app.queue.scheduleWebhookRetry(delivery),
    });
    // every re-fetch fails for a while: the route's own and the job's first run (the client tries twice each)
    await control("POST", "/faults", { provider: "offblocks", path: `/customers/${customerId}`, method: "GET", status: 503, rate: 1, times: 4 });
    const eventId = crypto.randomUUID();
    const response = await handle(
      new Request(`http://localhost${offblocksWebhookUrl("", SECRET)}`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ ...customer, webhookType: "customer.updated", eventId }),
      }),
      SECRET,
    );
    expect(response.status).toBe(503);
    expect(await stepStatus(onboardingId)).toBe("screening");

    // OffBlocks never redelivers here: the job does it
    const done = await until(
      async () => (await database.db.select().from(webhookDeliveries).where(eq(webhookDeliveries.eventId, eventId)))[0],
      (row) => row !== undefined,
    );
    expect(done).toMatchObject({ outcome: "applied", onboardingId, entityId: customerId });
    expect(await stepStatus(onboardingId)).toBe("active");
    expect(await stepChanges(onboardingId)).toContain("screening→active (customer_webhook)");
    const failedReads = sandbox.requests
      .slice(mark)
      .filter((r) => r.method === "GET" && r.path === `/offblocks/v1/customers/${customerId}` && r.status === 503);
    expect(failedReads.length).toBe(4);
  });

  it("a restart re-enqueues the steps still followed (once each) and they reach active", async () => {
    // a crash lost the enqueues: these onboardings have no follow-up waiting
    const before = await instance({ scheduling: false, workers: false });
    const wallets = [await signedWallet(before.service), await signedWallet(before.service)];
    for (const { onboardingId } of wallets) expect(await waitingFollowUps(onboardingId)).toBe(0);
    await stopAll();

    // a sign-in nonce that expired an hour ago: the recovery's housekeeping deletes it
    const expired = new Date(Date.now() - 3600_000);
    const [stale] = await database.db
      .insert(signInNonces)
      .values({ nonce: `stale${Date.now()}`, issuedAt: expired, expiresAt: expired })
      .returning({ id: signInNonces.id });

    // the restart: the recovery runs, and runs again (as a second instance starting would)
    const recovering = await instance();
    await recovering.queue.scheduleRecovery();
    await until(
      () => Promise.all(wallets.map((w) => waitingFollowUps(w.onboardingId))),
      (counts) => counts.every((n) => n === 1),
      10_000,
    ).catch(() => undefined);
    await recovering.queue.scheduleRecovery();
    const seen = new Set<number>();
    for (const { onboardingId } of wallets) {
      await until(
        async () => {
          seen.add(await waitingFollowUps(onboardingId));
          return stepStatus(onboardingId);
        },
        (status) => status === "active",
      );
    }
    expect(Math.max(...seen)).toBeLessThanOrEqual(1);
    for (const { onboardingId } of wallets) {
      expect((await stepChanges(onboardingId)).filter((c) => c.includes("→active"))).toEqual([expect.stringMatching(/\(customer_followed_in_background\)$/)]);
    }
    expect(recovering.ran.length).toBeGreaterThan(0);
    await until(
      () => database.db.select().from(signInNonces).where(eq(signInNonces.id, stale!.id)),
      (rows) => rows.length === 0,
      10_000,
    );
  });

  it("staff see the queue's depth and its failures", async () => {
    const app = await instance();
    const { onboardingId, customerId } = await signedWallet(app.service);
    await control("POST", "/faults", { provider: "offblocks", path: `/customers/${customerId}`, method: "GET", status: 503, rate: 1 });
    const stats = await until(
      () => app.queue.stats(),
      (s) => s.failed > 0,
    );
    expect(stats.windowHours).toBe(24);
    expect(stats.lastFailure).toMatchObject({ queue: FOLLOW_QUEUE });
    expect(stats.lastFailure!.message).toMatch(/offblocks answered 503/i);
    expect(stats.queues.find((q) => q.name === FOLLOW_QUEUE)).toMatchObject({ failed: stats.failed });
    // the chain goes on after a failure: the next follow-up is waiting
    expect(await waitingFollowUps(onboardingId)).toBe(1);
    expect((await app.queue.stats()).queued).toBeGreaterThanOrEqual(1);
    await control("DELETE", "/faults");
    await until(
      () => stepStatus(onboardingId),
      (status) => status === "active",
    );
  });

  // Postgres only: PGlite is one process's database
  const fleet = kind === "postgres" ? it : undefined;
  fleet?.("two instances on one database run each follow-up once", async () => {
    const second = await openDatabase({ postgresUrl: database.postgresUrl! });
    const [a, b] = [await instance(), await instance({ db: second })];
    const wallets = [];
    for (let i = 0; i < 6; i++) wallets.push(await signedWallet(i % 2 === 0 ? a.service : b.service));
    for (const { onboardingId } of wallets)
      await until(
        () => stepStatus(onboardingId),
        (status) => status === "active",
      );
    await stopAll();

    // no status change twice, and one customer read per follow-up run, across both instances
    for (const { onboardingId } of wallets) {
      const changes = (await stepChanges(onboardingId)).map((c) => c.replace(/ \(.*\)$/, ""));
      expect(new Set(changes).size, changes.join(", ")).toBe(changes.length);
    }
    const runs = [...a.ran, ...b.ran];
    // every onboarding needed follow-ups of its own (no page poll, no webhook), whichever instance ran them
    for (const { onboardingId } of wallets) expect(runs).toContain(onboardingId);
    expect(customerReads(wallets.map((w) => w.customerId))).toBe(runs.length);
    const completed = await database.executeSql(
      `SELECT count(*)::int AS n FROM pgboss.job WHERE name = $1 AND singleton_key = ANY($2::text[]) AND state IN ('completed', 'failed')`,
      [FOLLOW_QUEUE, wallets.map((w) => w.onboardingId)],
    );
    expect(Number(completed.rows[0]?.n)).toBe(runs.length);
  });
});
