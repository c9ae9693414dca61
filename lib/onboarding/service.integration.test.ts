/**
 * The onboarding state machine against the real OffBlocks emulator (sandbox/server.ts on port 0) through the
 * real OffBlocks client, on a real database (PGlite, and Postgres when TEST_DATABASE_URL is set). Wallets are
 * viem local accounts signing the decoded challenge, as a browser wallet would (personal_sign).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { asc, eq } from "drizzle-orm";
import { generatePrivateKey, privateKeyToAccount, type PrivateKeyAccount } from "viem/accounts";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startSandbox, type SandboxHandle } from "../../sandbox/server";
import type { Database } from "../db/client";
import { onboardingEvents, onboardings, onboardingSteps } from "../db/schema";
import { openTestDatabase, testDatabaseKinds, type TestDatabaseKind } from "../db/test-databases";
import { AppError } from "../errors";
import { createLogger } from "../log";
import { type OffblocksClient } from "../providers/offblocks";
import { staffMetrics } from "../staff/metrics";
import { rollupDifferences } from "../staff/metrics-recount";
import { createOnboardingService, type OnboardingService } from "./service";
import type { OnboardingView } from "./types";
import { appErrorOf } from "../../testing/app-error-of";
import { newTestSigningKey, sandboxOffblocksClient } from "../../testing/sandbox-offblocks";

const silent = createLogger({ level: "silent" });
const DATA_KEY = "onboarding-integration-data-key-0123456789";
const signingKey = newTestSigningKey();
const newWallet = (): PrivateKeyAccount => privateKeyToAccount(generatePrivateKey());
const owner = (wallet: PrivateKeyAccount, chainId = 300) => ({ address: wallet.address, chainId });

const onboardingIn = (error: AppError) => error.details?.onboarding as OnboardingView;

describe.each(testDatabaseKinds())("onboarding against the OffBlocks sandbox, database on %s", (kind: TestDatabaseKind) => {
  let sandbox: SandboxHandle;
  let database: Database;
  let dataDir: string;
  let client: OffblocksClient;
  let mark = 0;

  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0, autoAdvanceMs: false });
    database = await openTestDatabase(kind);
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "onboarding-it-"));
    client = newClient();
  });
  afterAll(async () => {
    await sandbox?.close();
    await database?.close();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });
  beforeEach(async () => {
    await control("DELETE", "/faults");
    const clock = (await (await fetch(`${sandbox.url}/_sandbox/clock`)).json()) as { offsetSeconds: number };
    if (clock.offsetSeconds !== 0) await advanceClock(-clock.offsetSeconds); // each test starts on real time
    mark = sandbox.requests.length;
  });

  function newClient(maxRetries = 1): OffblocksClient {
    return sandboxOffblocksClient(database.db, sandbox, { dataDir, dataKey: DATA_KEY, signingKey, maxRetries });
  }

  function service(options: { now?: () => Date; followIntervalMs?: number; offblocksBaseUrl?: string; client?: OffblocksClient } = {}): OnboardingService {
    return createOnboardingService({
      db: database.db,
      offblocks: options.client ?? client,
      offblocksBaseUrl: options.offblocksBaseUrl ?? sandbox.offblocksUrl,
      logger: silent,
      now: options.now,
      followIntervalMs: options.followIntervalMs ?? 0,
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
  const advanceClock = (advanceSeconds: number) => control("POST", "/clock", { advanceSeconds });
  const fault = (spec: Record<string, unknown>) => control("POST", "/faults", { provider: "offblocks", rate: 1, ...spec });

  /** OffBlocks requests served since the test began, as "METHOD /path status". */
  const served = () =>
    sandbox.requests
      .slice(mark)
      .filter((r) => r.path.startsWith("/offblocks/v1"))
      .map((r) => `${r.method} ${r.path.replace("/offblocks/v1", "").replace(/[0-9a-f-]{36}/g, ":id")} ${r.status}`);
  /** Signature submissions OffBlocks answered (a 401 is our token expiring with the sandbox clock, then renewed). */
  const signCalls = () => served().filter((line) => line.startsWith("POST /customers/:id/challenge/sign") && !line.endsWith(" 401"));

  async function events(onboardingId: string) {
    return database.db.select().from(onboardingEvents).where(eq(onboardingEvents.onboardingId, onboardingId)).orderBy(asc(onboardingEvents.id));
  }
  const stepChanges = async (onboardingId: string) =>
    (await events(onboardingId)).filter((e) => e.type === "status_change" && e.provider === "offblocks").map((e) => `${e.data.from}→${e.data.to}`);

  const sign = (wallet: PrivateKeyAccount, view: OnboardingView) => wallet.signMessage({ message: view.steps.offblocks.challenge!.message });

  it("happy path: start, sign the decoded challenge, screening, active — every step an event, no signature in the log", async () => {
    const onboarding = service();
    const wallet = newWallet();
    const { created, onboarding: started } = await onboarding.start(owner(wallet));
    expect(created).toBe(true);
    expect(started).toMatchObject({ address: wallet.address, chainId: 300, status: "pending", steps: { offblocks: { status: "challenge_issued" } } });
    expect(started.steps.unblock).toEqual({ status: "not_started" });
    expect(started.steps.bloq).toEqual({ status: "not_started" });
    const challenge = started.steps.offblocks.challenge!;
    const host = new URL(sandbox.offblocksUrl).host;
    expect(challenge.message.startsWith(`${host} wants you to sign in with your Ethereum account:\n${wallet.address}\n`)).toBe(true);
    expect(challenge.message).toContain(`URI: http://${host}`);
    expect(challenge.message).toContain("Chain ID: 300");
    expect(new Date(challenge.expiresAt).getTime()).toBeGreaterThan(Date.now() + 3_500_000);

    const customer = await client.findCustomerByCaip10(`eip155:300:${wallet.address}`);
    expect(customer).toMatchObject({ id: started.steps.offblocks.customerId, externalId: started.id, status: "initiating" });

    const signature = await sign(wallet, started);
    const signed = await onboarding.submitOffblocksSignature(wallet.address, signature);
    expect(signed.steps.offblocks).toEqual({ status: "screening", customerId: customer!.id });
    expect(signed.status).toBe("pending");

    await client.simulateVerify(customer!.id);
    const active = await onboarding.get(wallet.address);
    expect(active).toMatchObject({ status: "verified", steps: { offblocks: { status: "active" } } });
    expect(active.steps.offblocks.challenge).toBeUndefined();

    expect(await stepChanges(started.id)).toEqual(["not_started→challenge_issued", "challenge_issued→verified", "verified→screening", "screening→active"]);
    const log = await events(started.id);
    expect(log.filter((e) => e.type === "status_change" && e.provider === null).map((e) => `${e.data.from}→${e.data.to}`)).toEqual([
      "null→pending",
      "pending→verified",
    ]);
    expect(log.filter((e) => e.type === "provider_call").map((e) => `${e.data.operation} ${e.data.outcome}`)).toEqual([
      "create_customer ok",
      "sign_challenge ok",
      "get_customer ok",
    ]);
    const text = JSON.stringify(log);
    expect(text).not.toContain(signature.slice(2, 40));
    expect(text).not.toContain(Buffer.from(signature.slice(2), "hex").toString("base64").slice(0, 40));

    const [row] = await database.db.select().from(onboardingSteps).where(eq(onboardingSteps.onboardingId, started.id));
    expect(row).toMatchObject({ status: "active", externalId: customer!.id, challenge: null, challengeExpiresAt: null });
  });

  it("starting again is idempotent, also when many requests race for a new wallet", async () => {
    const onboarding = service();
    const wallet = newWallet();
    const results = await Promise.all(Array.from({ length: 5 }, () => onboarding.start(owner(wallet))));
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(new Set(results.map((r) => r.onboarding.id)).size).toBe(1);
    expect(new Set(results.map((r) => r.onboarding.steps.offblocks.customerId)).size).toBe(1);

    const again = await onboarding.start({ address: wallet.address, chainId: 324 });
    expect(again).toMatchObject({ created: false, onboarding: { id: results[0]!.onboarding.id, chainId: 300 } });
    expect(await client.listCustomers({ chainId: `eip155:300:${wallet.address}` })).toHaveLength(1);
    const rows = await database.db.select().from(onboardings).where(eq(onboardings.address, wallet.address));
    expect(rows).toHaveLength(1);
    expect((await stepChanges(rows[0]!.id)).filter((c) => c === "not_started→challenge_issued")).toHaveLength(1);
  });

  it("a wrong signature never reaches OffBlocks: 400 signature_invalid with the challenge to sign", async () => {
    const onboarding = service();
    const wallet = newWallet();
    const { onboarding: started } = await onboarding.start(owner(wallet));

    mark = sandbox.requests.length;
    const byAnother = await appErrorOf(onboarding.submitOffblocksSignature(wallet.address, await sign(newWallet(), started)));
    expect(byAnother).toMatchObject({ code: "signature_invalid", status: 400, details: { reason: "bad_signature" } });
    expect(onboardingIn(byAnother).steps.offblocks).toMatchObject({ status: "challenge_issued", challenge: started.steps.offblocks.challenge });
    const malformed = await appErrorOf(onboarding.submitOffblocksSignature(wallet.address, `0x${"ab".repeat(64)}`));
    expect(malformed).toMatchObject({ code: "signature_invalid", status: 400 });
    const otherText = await appErrorOf(onboarding.submitOffblocksSignature(wallet.address, await wallet.signMessage({ message: "something else" })));
    expect(otherText).toMatchObject({ code: "signature_invalid" });
    expect(signCalls()).toEqual([]);
    expect(served()).toEqual([]);

    const errors = (await events(started.id)).filter((e) => e.type === "error");
    expect(errors.map((e) => e.data.code)).toEqual(["signature_invalid", "signature_invalid", "signature_invalid"]);

    const signed = await onboarding.submitOffblocksSignature(wallet.address, await sign(wallet, started));
    expect(signed.steps.offblocks.status).toBe("screening");
    expect(signCalls()).toEqual(["POST /customers/:id/challenge/sign 200"]);

    // A repeated submission (a double click) answers the onboarding as it is.
    expect((await onboarding.submitOffblocksSignature(wallet.address, await sign(wallet, started))).steps.offblocks.status).toBe("screening");
    expect(signCalls()).toHaveLength(1);
    await expect(onboarding.refreshChallenge(wallet.address)).rejects.toMatchObject({ code: "challenge_not_awaited", status: 409 });
  });

  it("an expired challenge at OffBlocks (sandbox clock): 410 with a fresh challenge, which then signs fine", async () => {
    const onboarding = service();
    const wallet = newWallet();
    const { onboarding: started } = await onboarding.start(owner(wallet));
    const oldSignature = await sign(wallet, started);
    await advanceClock(3_601);

    mark = sandbox.requests.length;
    const expired = await appErrorOf(onboarding.submitOffblocksSignature(wallet.address, oldSignature));
    expect(expired).toMatchObject({ code: "challenge_expired", status: 410 });
    const fresh = onboardingIn(expired);
    expect(fresh.steps.offblocks.status).toBe("challenge_issued");
    expect(fresh.steps.offblocks.challenge!.message).not.toBe(started.steps.offblocks.challenge!.message);
    expect(signCalls()).toEqual(["POST /customers/:id/challenge/sign 410"]);

    const signed = await onboarding.submitOffblocksSignature(wallet.address, await sign(wallet, fresh));
    expect(signed.steps.offblocks.status).toBe("screening");
    expect(await stepChanges(started.id)).toEqual(["not_started→challenge_issued", "challenge_issued→verified", "verified→screening"]);
  });

  it("a challenge expired by our clock is refused here (410 + fresh challenge) without calling OffBlocks' sign", async () => {
    let offset = 0;
    const onboarding = service({ now: () => new Date(Date.now() + offset) });
    const wallet = newWallet();
    const { onboarding: started } = await onboarding.start(owner(wallet));
    const oldSignature = await sign(wallet, started);
    offset = 3_601_000;
    await advanceClock(3_601);

    mark = sandbox.requests.length;
    const expired = await appErrorOf(onboarding.submitOffblocksSignature(wallet.address, oldSignature));
    expect(expired).toMatchObject({ code: "challenge_expired", status: 410 });
    expect(signCalls()).toEqual([]);
    const fresh = onboardingIn(expired);
    expect(new Date(fresh.steps.offblocks.challenge!.expiresAt).getTime()).toBeGreaterThan(Date.now() + offset);

    expect((await onboarding.submitOffblocksSignature(wallet.address, await sign(wallet, fresh))).steps.offblocks.status).toBe("screening");
  });

  it("reading the onboarding after its challenge expired fetches a fresh one", async () => {
    let offset = 0;
    const onboarding = service({ now: () => new Date(Date.now() + offset) });
    const wallet = newWallet();
    const { onboarding: started } = await onboarding.start(owner(wallet));
    expect((await onboarding.get(wallet.address)).steps.offblocks.challenge).toEqual(started.steps.offblocks.challenge);
    offset = 3_601_000;
    await advanceClock(3_601);
    const read = await onboarding.get(wallet.address);
    expect(read.steps.offblocks.challenge!.message).not.toBe(started.steps.offblocks.challenge!.message);
    const refreshed = await onboarding.refreshChallenge(wallet.address);
    expect(refreshed.steps.offblocks.challenge).toEqual(read.steps.offblocks.challenge); // still valid: the same one
  });

  it("OffBlocks down: a clear 502, nothing lost, and the next try carries on", async () => {
    const onboarding = service({ client: newClient(0) });
    const wallet = newWallet();
    await fault({ path: "/customers", method: "POST", status: 503 });
    const down = await appErrorOf(onboarding.start(owner(wallet)));
    expect(down).toMatchObject({ code: "offblocks_unavailable", status: 502 });
    const [row] = await database.db.select().from(onboardings).where(eq(onboardings.address, wallet.address));
    expect(row).toBeDefined();
    expect(await appErrorOf(onboarding.get(wallet.address))).toMatchObject({ code: "offblocks_unavailable" });
    const log = await events(row!.id);
    expect(log.filter((e) => e.type === "provider_call").map((e) => `${e.data.operation} ${e.data.outcome} ${e.data.code}`)).toEqual([
      "create_customer error offblocks_unavailable",
      "create_customer error offblocks_unavailable",
    ]);

    await control("DELETE", "/faults");
    const { created, onboarding: started } = await onboarding.start(owner(wallet));
    expect(created).toBe(false);
    expect(started).toMatchObject({ id: row!.id, steps: { offblocks: { status: "challenge_issued" } } });

    // The signature's answer is lost after OffBlocks acted on it: resubmitting replays OffBlocks' answer.
    const signature = await sign(wallet, started);
    await fault({ path: "/customers", method: "POST", status: 500, phase: "after", times: 1 });
    mark = sandbox.requests.length;
    expect(await appErrorOf(onboarding.submitOffblocksSignature(wallet.address, signature))).toMatchObject({ code: "offblocks_unavailable", status: 502 });
    expect((await onboarding.get(wallet.address)).steps.offblocks).toMatchObject({ status: "challenge_issued", challenge: started.steps.offblocks.challenge });
    const signed = await onboarding.submitOffblocksSignature(wallet.address, signature);
    expect(signed.steps.offblocks.status).toBe("screening");
    expect(signCalls()).toEqual(["POST /customers/:id/challenge/sign 500", "POST /customers/:id/challenge/sign 200"]);
    expect(await client.listCustomers({ chainId: `eip155:300:${wallet.address}` })).toHaveLength(1);

    // While OffBlocks is down, reading the onboarding answers what we know (the poll's failure is recorded once).
    await fault({ path: "/customers", method: "GET", status: 503 });
    expect((await onboarding.get(wallet.address)).steps.offblocks.status).toBe("screening");
    expect((await onboarding.get(wallet.address)).steps.offblocks.status).toBe("screening");
    const polls = (await events(started.id)).filter((e) => e.data.operation === "get_customer");
    expect(polls.map((e) => `${e.data.outcome} ${e.data.code}`)).toEqual(["error offblocks_unavailable"]);
  });

  it("follows the customer at most once per interval, and to rejected", async () => {
    const onboarding = service({ followIntervalMs: 60_000 });
    const wallet = newWallet();
    const { onboarding: started } = await onboarding.start(owner(wallet));
    await onboarding.submitOffblocksSignature(wallet.address, await sign(wallet, started));
    await client.simulateReject(started.steps.offblocks.customerId!);

    mark = sandbox.requests.length;
    const first = await onboarding.get(wallet.address);
    const second = await onboarding.get(wallet.address);
    expect(first).toMatchObject({ status: "failed", steps: { offblocks: { status: "rejected" } } });
    expect(second).toEqual(first);
    expect(served().filter((s) => s.startsWith("GET /customers/:id "))).toHaveLength(1);
    await expect(onboarding.submitOffblocksSignature(wallet.address, await sign(wallet, started))).rejects.toMatchObject({
      code: "offblocks_closed",
      status: 409,
    });
  });

  it("never stores or shows a challenge that names another host than OFFBLOCKS_BASE_URL", async () => {
    const onboarding = service({ offblocksBaseUrl: "https://api.sandbox.offblocks.xyz/v1" });
    const wallet = newWallet();
    const refused = await appErrorOf(onboarding.start(owner(wallet)));
    expect(refused).toMatchObject({ code: "offblocks_bad_challenge", status: 502 });
    expect(refused.message).toContain("api.sandbox.offblocks.xyz");
    const [row] = await database.db.select().from(onboardings).where(eq(onboardings.address, wallet.address));
    expect(await database.db.select().from(onboardingSteps).where(eq(onboardingSteps.onboardingId, row!.id))).toEqual([]);
    expect((await events(row!.id)).filter((e) => e.type === "error").map((e) => e.data.code)).toEqual(["offblocks_bad_challenge"]);
  });

  it("a customer OffBlocks forgot (sandbox restart) is created again instead of a dead end", async () => {
    const onboarding = service();
    const wallet = newWallet();
    const { onboarding: started } = await onboarding.start(owner(wallet));
    await control("POST", "/reset");
    const expired = await appErrorOf(onboarding.submitOffblocksSignature(wallet.address, await sign(wallet, started)));
    expect(expired).toMatchObject({ code: "challenge_expired", status: 410 });
    const fresh = onboardingIn(expired);
    expect(fresh.steps.offblocks.customerId).not.toBe(started.steps.offblocks.customerId);
    expect((await onboarding.submitOffblocksSignature(wallet.address, await sign(wallet, fresh))).steps.offblocks.status).toBe("screening");
    // the new customer is on the timeline, though the step stayed challenge_issued
    const recreated = (await events(started.id)).filter((e) => e.type === "status_change" && e.data.cause === "customer_lost_recreated");
    expect(recreated.map((e) => e.data)).toEqual([
      { from: "challenge_issued", to: "challenge_issued", cause: "customer_lost_recreated", customerId: fresh.steps.offblocks.customerId },
    ]);
  });

  it("when every try of challenge/sign loses its answer, the next follow-up records that OffBlocks accepted the signature", async () => {
    const onboarding = service();
    const wallet = newWallet();
    const { onboarding: started } = await onboarding.start(owner(wallet));
    await fault({ path: "/customers", method: "POST", status: 500, phase: "after" });
    expect(await appErrorOf(onboarding.submitOffblocksSignature(wallet.address, await sign(wallet, started)))).toMatchObject({
      code: "offblocks_unavailable",
    });
    await control("DELETE", "/faults");
    expect(await onboarding.followOffblocksCustomer(started.id)).toMatchObject({ status: "screening", changed: true });
    expect(await stepChanges(started.id)).toEqual(["not_started→challenge_issued", "challenge_issued→verified", "verified→screening"]);
    const accepted = (await events(started.id)).find((e) => e.type === "status_change" && e.data.to === "verified");
    expect(accepted?.data.cause).toBe("signature_accepted_answer_lost");
  });

  it("answers 404 onboarding_not_found for a wallet that has not started", async () => {
    const onboarding = service();
    const wallet = newWallet();
    await expect(onboarding.get(wallet.address)).rejects.toMatchObject({ code: "onboarding_not_found", status: 404 });
    await expect(onboarding.refreshChallenge(wallet.address)).rejects.toMatchObject({ code: "onboarding_not_found" });
    await expect(onboarding.submitOffblocksSignature(wallet.address, "0x00")).rejects.toMatchObject({ code: "onboarding_not_found" });
  });

  it("leaves the staff metrics rollup equal to a live recount after all of the above (status transitions (verified, screening, active, rejected), restarts and races)", async () => {
    expect(await rollupDifferences(database.db)).toEqual([]);
    const metrics = await staffMetrics(database.db, {});
    expect(metrics.funnel.started).toBeGreaterThan(0);
    expect(metrics.series.reduce((sum, day) => sum + day.started, 0)).toBe(metrics.funnel.started);
  });
});
