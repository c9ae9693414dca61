/**
 * The staff Providers actions against the real emulator (sandbox/server.ts on port 0) and a real database
 * (PGlite, and Postgres when TEST_DATABASE_URL is set): status per provider from the event log, rotation
 * picked up by the live client (no restart), revoke only with the typed confirmation, the simulator and the
 * sandbox clock — each a `staff_action` event with the staff address.
 */
import { generateKeyPairSync } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { eq } from "drizzle-orm";
import { generatePrivateKey, privateKeyToAccount, type PrivateKeyAccount } from "viem/accounts";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startSandbox, type SandboxHandle } from "../../sandbox/server";
import type { Config } from "../config";
import { createSecretBox } from "../crypto/secret-box";
import type { Database } from "../db/client";
import { idempotencyKeys, onboardingEvents, onboardings, onboardingSteps, providerCredentials, providerTokens } from "../db/schema";
import { openTestDatabase, testDatabaseKinds, type TestDatabaseKind } from "../db/test-databases";
import { createJobQueue } from "../jobs/queue";
import { createLogger } from "../log";
import { createOffblocksClient, type OffblocksClient } from "../providers/offblocks";
import { signingKeyFromPem } from "../providers/offblocks/signing-key";
import { SANDBOX_DEFAULTS } from "../sandbox-defaults";
import {
  advanceSandboxClock,
  generateCredentials,
  maskWebhookSecret,
  providerActivity,
  providersStatus,
  revokeOffblocksCredentials,
  RotateCredentialsBodySchema,
  rotateOffblocksCredentials,
  simulateCustomer,
  type ProvidersConfig,
} from "./providers";
import { recordStaffAction } from "./staff-action-event";

const DATA_KEY = "providers-test-data-key-0123456789abcdef";
const box = createSecretBox(() => DATA_KEY);
const signingKey = signingKeyFromPem(
  generateKeyPairSync("ec", { namedCurve: "secp384r1" }).privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
  "env",
);
const silent = createLogger({ level: "silent" });
const STAFF = "0x69796a59B34A11c87081a03B3eCC3b4043d94E4D";

describe.each(testDatabaseKinds())("staff providers against the sandbox, database on %s", (kind: TestDatabaseKind) => {
  let sandbox: SandboxHandle;
  let database: Database;
  let dataDir: string;

  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0, autoAdvanceMs: false });
    database = await openTestDatabase(kind);
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "staff-providers-"));
  });
  afterAll(async () => {
    await sandbox?.close();
    await database?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });
  beforeEach(async () => {
    await fetch(`${sandbox.url}/_sandbox/reset`, { method: "POST" });
    await database.db.delete(onboardingEvents);
    await database.db.delete(onboardings);
    await database.db.delete(idempotencyKeys);
    await database.db.delete(providerCredentials);
    await database.db.delete(providerTokens);
  });

  function cfg(sandboxEnabled = true): ProvidersConfig & Pick<Config, "dataDir" | "dataKey"> {
    return {
      dataDir,
      dataKey: DATA_KEY,
      sandbox: { enabled: sandboxEnabled, start: true, port: 0, url: sandbox.url },
      offblocks: {
        baseUrl: sandbox.offblocksUrl,
        apiKey: SANDBOX_DEFAULTS.offblocks.apiKey,
        apiSecret: SANDBOX_DEFAULTS.offblocks.apiSecret,
        signingKeyPem: undefined,
        timeoutMs: 2_000,
        maxRetries: 1,
        webhookSecret: undefined,
      },
      unblock: { baseUrl: `${sandbox.url}/unblock` } as Config["unblock"],
      bloq: { accountsUrl: "https://accounts.bloq.cloud" } as Config["bloq"],
    };
  }

  function newClient(): OffblocksClient {
    return createOffblocksClient({
      db: database.db,
      config: cfg(),
      logger: silent,
      secretBox: box,
      signingKey,
      backoff: { baseDelayMs: 5, maxDelayMs: 20 },
    });
  }

  /** A customer whose challenge the wallet signed (screening: the simulator may verify or reject it). */
  async function signedCustomer(client: OffblocksClient, onboardingId: string, wallet: PrivateKeyAccount) {
    const caip10 = `eip155:300:${wallet.address}`;
    const { customer, challenge } = await client.createCustomer({ onboardingId, caip10 });
    await client.signChallenge({
      customerId: customer.id,
      caip10,
      challengeBase64: challenge!.base64,
      signatureHex: await wallet.signMessage({ message: challenge!.message }),
    });
    return customer;
  }

  async function staffActions() {
    return database.db.select().from(onboardingEvents).where(eq(onboardingEvents.type, "staff_action")).orderBy(onboardingEvents.id);
  }

  it("status: mode per provider, last call and error rate from provider_call events, OffBlocks keyId and token expiry", async () => {
    const [onboarding] = await database.db
      .insert(onboardings)
      .values({ address: privateKeyToAccount(generatePrivateKey()).address, chainId: 300 })
      .returning();
    const at = new Date();
    const call = (provider: string, outcome: string, ago: number, code?: string) => ({
      onboardingId: onboarding!.id,
      type: "provider_call",
      provider,
      data: { operation: "x", outcome, ...(code ? { code } : {}) },
      at: new Date(at.getTime() - ago),
    });
    await database.db.insert(onboardingEvents).values([
      call("offblocks", "ok", 3000),
      call("offblocks", "error", 2000),
      call("offblocks", "ok", 1000),
      call("offblocks", "ok", 48 * 3600_000),
      call("unblock", "ok", 900),
      // a mistyped email code: the person's doing, not an Unblock error
      call("unblock", "error", 700, "otp_invalid"),
      call("unblock", "error", 500, "unblock_unavailable"),
    ]);

    const activity = await providerActivity(database.db, at);
    expect(activity.offblocks).toMatchObject({ calls: 3, errors: 1, lastCallOutcome: "ok" });
    expect(activity.offblocks.errorRate).toBeCloseTo(1 / 3);
    expect(activity.unblock).toMatchObject({ calls: 3, errors: 1, lastCallOutcome: "error" });
    expect(activity.unblock.errorRate).toBeCloseTo(1 / 3);
    expect(activity.bloq).toEqual({ lastCallAt: null, lastCallOutcome: null, calls: 0, errors: 0, errorRate: null });

    const client = newClient();
    const queue = createJobQueue({ executeSql: database.executeSql, logger: silent, recoverCron: null });
    await queue.start();
    await queue.scheduleFollow({ onboardingId: "waiting-follow-up", attempt: 0 }, 3600); // no worker: it waits
    const status = await providersStatus(
      database.db,
      cfg(),
      { offblocks: client, unblockHealth: async () => "ok", bloqHealth: async () => "down", jobStats: () => queue.stats() },
      at,
    );
    await queue.stop();
    expect(status.jobs).toMatchObject({ queued: 1, active: 0, failed: 0, windowHours: 24, lastFailure: null });
    expect(status.sandbox.enabled).toBe(true);
    expect(status.providers.map((p) => [p.name, p.mode, p.health])).toEqual([
      ["offblocks", "sandbox", "ok"],
      ["unblock", "sandbox", "ok"],
      ["bloq", "configured", "down"],
    ]);
    expect(status.providers[0]!.tokenExpiresAt).not.toBeNull();
    expect(status.offblocks).toMatchObject({ credentialSource: "config", revoked: false, apiKey: SANDBOX_DEFAULTS.offblocks.apiKey, webhooksError: null });
    expect(status.offblocks.signingKeyId).toEqual(expect.any(String));
    expect(JSON.stringify(status)).not.toContain(SANDBOX_DEFAULTS.offblocks.apiSecret);
  });

  it("rotation: the live client uses the new credentials at once, the old ones are refused, the action is recorded", async () => {
    const client = newClient();
    await client.listCustomers();
    const fresh = generateCredentials();
    expect(RotateCredentialsBodySchema.safeParse(fresh).success).toBe(true);
    const rotated = await rotateOffblocksCredentials(database.db, client, STAFF, fresh);
    expect(rotated.apiKey).toBe(fresh.apiKey);

    // no restart: the same client (and a restarted one on the same database) keeps working
    const wallet = privateKeyToAccount(generatePrivateKey());
    const created = await client.createCustomer({ onboardingId: "after-rotation", caip10: `eip155:300:${wallet.address}` });
    expect(created.customer.status).toBe("initiating");
    await expect(newClient().listCustomers()).resolves.toBeDefined();
    const old = await fetch(`${sandbox.offblocksUrl}/auth/token`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ apiKey: SANDBOX_DEFAULTS.offblocks.apiKey, apiSecret: SANDBOX_DEFAULTS.offblocks.apiSecret }),
    });
    expect(old.status).toBe(401);
    expect((await client.credentials.status()).apiKey).toBe(fresh.apiKey);

    const [action] = await staffActions();
    expect(action).toMatchObject({ onboardingId: null, provider: "offblocks", data: { action: "offblocks_rotate_credentials", staff: STAFF, outcome: "ok" } });
    expect(JSON.stringify(action!.data)).not.toContain(fresh.apiSecret);
  });

  it("revoke: refused without the typed confirmation, then revokes for good", async () => {
    const client = newClient();
    await expect(revokeOffblocksCredentials(database.db, client, STAFF, { confirm: "revoke" })).rejects.toMatchObject({
      code: "confirmation_required",
      status: 400,
    });
    expect((await client.credentials.status()).revoked).toBe(false);
    expect(await staffActions()).toEqual([]);

    await expect(revokeOffblocksCredentials(database.db, client, STAFF, { confirm: "REVOKE" })).resolves.toEqual({ revoked: true });
    expect((await client.credentials.status()).revoked).toBe(true);
    await expect(client.listCustomers()).rejects.toMatchObject({ code: "offblocks_revoked" });
    await expect(revokeOffblocksCredentials(database.db, client, STAFF, { confirm: "REVOKE" })).rejects.toMatchObject({ code: "already_revoked", status: 409 });
    const status = await providersStatus(database.db, cfg(), { offblocks: client, unblockHealth: async () => "ok", bloqHealth: async () => "ok" });
    expect(status.offblocks.revoked).toBe(true);
    expect(status.offblocks.webhooksError).toMatch(/revoked/);
    expect((await staffActions()).map((e) => e.data)).toEqual([
      { action: "offblocks_revoke_credentials", staff: STAFF, outcome: "ok", apiKey: SANDBOX_DEFAULTS.offblocks.apiKey },
    ]);
  });

  it("simulator: verify and reject a customer, recorded on its onboarding; the clock moves; 404 outside sandbox mode", async () => {
    const client = newClient();
    const wallet = privateKeyToAccount(generatePrivateKey());
    const [onboarding] = await database.db.insert(onboardings).values({ address: wallet.address, chainId: 300 }).returning();
    const customer = await signedCustomer(client, onboarding!.id, wallet);
    await database.db
      .insert(onboardingSteps)
      .values({ onboardingId: onboarding!.id, provider: "offblocks", status: "challenge_issued", externalId: customer.id });

    await expect(simulateCustomer(database.db, cfg(), client, STAFF, customer.id, "reject")).resolves.toEqual({
      customerId: customer.id,
      outcome: "reject",
      onboardingId: onboarding!.id,
    });
    expect((await client.getCustomer(customer.id)).status).toBe("rejected");
    const other = privateKeyToAccount(generatePrivateKey());
    const unknownToUs = await signedCustomer(client, "elsewhere", other);
    await expect(simulateCustomer(database.db, cfg(), client, STAFF, unknownToUs.id, "verify")).resolves.toMatchObject({ onboardingId: null });
    // a rejected customer cannot be verified: OffBlocks' refusal comes back as is, and nothing is recorded
    await expect(simulateCustomer(database.db, cfg(), client, STAFF, customer.id, "verify")).rejects.toMatchObject({
      code: "offblocks_invalid_state",
      status: 409,
    });
    await expect(simulateCustomer(database.db, cfg(), client, STAFF, "not-a-uuid", "verify")).rejects.toMatchObject({ code: "invalid_request", status: 400 });
    await expect(simulateCustomer(database.db, cfg(false), client, STAFF, customer.id, "verify")).rejects.toMatchObject({ status: 404 });

    await expect(advanceSandboxClock(database.db, cfg(), STAFF, 3600)).resolves.toEqual({ advanceSeconds: 3600 });
    await expect(advanceSandboxClock(database.db, cfg(false), STAFF, 3600)).rejects.toMatchObject({ status: 404 });

    const actions = await staffActions();
    expect(actions.map((e) => [e.onboardingId, e.data.action, e.data.staff])).toEqual([
      [onboarding!.id, "simulator_reject", STAFF],
      [null, "simulator_verify", STAFF],
      [null, "sandbox_clock_advance", STAFF],
    ]);
  });

  it("the webhook secret path segment is never shown", () => {
    expect(maskWebhookSecret("https://shop.example/api/webhooks/offblocks/s3cr3t-Value_1")).toBe("https://shop.example/api/webhooks/offblocks/•••");
    expect(maskWebhookSecret("https://other.example/hooks/x")).toBe("https://other.example/hooks/x");
  });

  it("recordStaffAction writes a staff_action event", async () => {
    await recordStaffAction(database.db, { staff: STAFF, action: "sandbox_clock_advance", data: { advanceSeconds: 1 } });
    expect(await staffActions()).toHaveLength(1);
  });
});
