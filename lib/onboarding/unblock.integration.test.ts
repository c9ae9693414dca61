/**
 * The Unblock step of the onboarding against the real sandbox (OffBlocks and Unblock emulators on port 0)
 * through the real clients, on a real database (PGlite, and Postgres when TEST_DATABASE_URL is set).
 * Our clock follows the sandbox clock, as it would follow real time against the real Unblock.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { asc, eq } from "drizzle-orm";
import { generatePrivateKey, privateKeyToAccount, type PrivateKeyAccount } from "viem/accounts";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startSandbox, type SandboxHandle } from "../../sandbox/server";
import { createSecretBox } from "../crypto/secret-box";
import type { Database } from "../db/client";
import { onboardingEvents, onboardingSteps } from "../db/schema";
import { openTestDatabase, testDatabaseKinds, type TestDatabaseKind } from "../db/test-databases";
import { AppError } from "../errors";
import { createLogger } from "../log";
import { type OffblocksClient } from "../providers/offblocks";
import { createUnblockClient, type UnblockClient } from "../providers/unblock";
import { SANDBOX_DEFAULTS } from "../sandbox-defaults";
import { staffMetrics } from "../staff/metrics";
import { rollupDifferences } from "../staff/metrics-recount";
import { createOnboardingService, type OnboardingService } from "./service";
import type { OnboardingView } from "./types";
import { appErrorOf } from "../../testing/app-error-of";
import { newTestSigningKey, sandboxOffblocksClient } from "../../testing/sandbox-offblocks";

const silent = createLogger({ level: "silent" });
const DATA_KEY = "unblock-integration-data-key-0123456789abcdef";
const signingKey = newTestSigningKey();
const newWallet = (): PrivateKeyAccount => privateKeyToAccount(generatePrivateKey());
let emails = 0;
const newEmail = () => `ada.${Date.now().toString(36)}.${++emails}@example.com`;
const form = (email = newEmail()) => ({ firstName: "Ada", lastName: "Lovelace", email, country: "GB" });

const onboardingIn = (error: AppError) => error.details?.onboarding as OnboardingView;

describe.each(testDatabaseKinds())("the Unblock step against the sandbox, database on %s", (kind: TestDatabaseKind) => {
  let sandbox: SandboxHandle;
  let database: Database;
  let dataDir: string;
  let offblocks: OffblocksClient;
  let unblock: UnblockClient;
  let onboarding: OnboardingService;
  let offsetSeconds = 0;
  /** every Unblock session id the sandbox handed out in this file (to prove none is ever stored in clear) */
  const sessionIds: string[] = [];

  const now = () => new Date(Date.now() + offsetSeconds * 1000);

  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0, autoAdvanceMs: false });
    database = await openTestDatabase(kind);
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "unblock-it-"));
    offblocks = sandboxOffblocksClient(database.db, sandbox, { dataDir, dataKey: DATA_KEY, signingKey });
    unblock = unblockClient(SANDBOX_DEFAULTS.unblock.apiKey);
    onboarding = service(unblock);
  });
  afterAll(async () => {
    await sandbox?.close();
    await database?.close();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });
  beforeEach(async () => {
    await control("DELETE", "/faults");
    if (offsetSeconds !== 0) await advanceClock(-offsetSeconds);
  });

  function unblockClient(apiKey: string): UnblockClient {
    const client = createUnblockClient({
      config: { unblock: { baseUrl: sandbox.unblockUrl, apiKey, chainId: 80002, timeoutMs: 2_000, maxRetries: 1 } },
      logger: silent,
      backoff: { baseDelayMs: 5, maxDelayMs: 20 },
    });
    // remember every session id handed out, for the "never stored in clear" assertions
    const loginWithSiwe: UnblockClient["loginWithSiwe"] = async (input) => {
      const session = await client.loginWithSiwe(input);
      sessionIds.push(session.sessionId);
      return session;
    };
    const verifyOtp: UnblockClient["verifyOtp"] = async (userUuid, code) => {
      const session = await client.verifyOtp(userUuid, code);
      sessionIds.push(session.sessionId);
      return session;
    };
    return { ...client, loginWithSiwe, verifyOtp };
  }

  function service(client: UnblockClient): OnboardingService {
    return createOnboardingService({
      db: database.db,
      offblocks,
      offblocksBaseUrl: sandbox.offblocksUrl,
      unblock: { client, secretBox: createSecretBox(() => DATA_KEY) },
      logger: silent,
      now,
      followIntervalMs: 60_000,
    });
  }

  async function control(method: string, route: string, body?: unknown): Promise<unknown> {
    const response = await fetch(`${sandbox.url}/_sandbox${route}`, {
      method,
      headers: body === undefined ? {} : { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (response.status >= 300) throw new Error(`sandbox control ${route}: ${response.status} ${await response.text()}`);
    return response.json().catch(() => null);
  }
  const advanceClock = async (seconds: number) => {
    await control("POST", "/clock", { advanceSeconds: seconds });
    offsetSeconds += seconds;
  };
  async function mailedCode(email: string): Promise<string> {
    const mailbox = (await control("GET", `/mailbox?email=${encodeURIComponent(email)}`)) as { items: { code: string }[] };
    const code = mailbox.items.at(-1)?.code;
    if (!code) throw new Error(`no email to ${email}`);
    return code;
  }

  async function events(onboardingId: string) {
    return database.db.select().from(onboardingEvents).where(eq(onboardingEvents.onboardingId, onboardingId)).orderBy(asc(onboardingEvents.id));
  }
  const unblockChanges = async (onboardingId: string) =>
    (await events(onboardingId))
      .filter((e) => e.type === "status_change" && e.provider === "unblock")
      .map((e) => `${e.data.from}→${e.data.to} (${e.data.cause})`);
  const unblockCalls = async (onboardingId: string) =>
    (await events(onboardingId))
      .filter((e) => e.type === "provider_call" && e.provider === "unblock")
      .map((e) => `${e.data.operation} ${e.data.outcome}${e.data.code ? ` ${e.data.code}` : ""}`);

  /** A signed-in wallet with its onboarding and its Unblock user. */
  async function withUser(wallet = newWallet(), email = newEmail()) {
    const { onboarding: started } = await onboarding.start({ address: wallet.address, chainId: 300 });
    const view = await onboarding.createUnblockUser(wallet.address, form(email));
    return { wallet, email, id: started.id, view };
  }

  async function signIn(wallet: PrivateKeyAccount, using = onboarding): Promise<OnboardingView> {
    const { message } = await using.buildUnblockMessage(wallet.address);
    return using.unblockLogin(wallet.address, await wallet.signMessage({ message }));
  }

  /** No session id anywhere: not in the view, not in the events, not in clear in the step row. */
  async function assertNoSessionIdLeaks(id: string, view: OnboardingView) {
    expect(sessionIds.length).toBeGreaterThan(0);
    const viewJson = JSON.stringify(view);
    const eventsJson = JSON.stringify(await events(id));
    const steps = await database.db.select().from(onboardingSteps).where(eq(onboardingSteps.onboardingId, id));
    const rows = JSON.stringify(steps);
    for (const sessionId of sessionIds) {
      expect(viewJson).not.toContain(sessionId);
      expect(eventsJson).not.toContain(sessionId);
      expect(rows).not.toContain(sessionId);
      for (const step of steps) if (step.secret) expect(step.secret.toString("latin1")).not.toContain(sessionId);
    }
  }

  it("form → user_created; wallet sign-in → session_active; EUR account — events for each, no secret anywhere", async () => {
    const { wallet, email, id, view } = await withUser();
    expect(view.steps.unblock).toEqual({ status: "user_created", userId: expect.any(String), email, country: "GB" });
    const user = await unblock.getUser(view.steps.unblock.userId!);
    expect(user.signInAddress?.toLowerCase()).toBe(wallet.address.toLowerCase());

    const { message } = await onboarding.buildUnblockMessage(wallet.address);
    const host = new URL(sandbox.unblockUrl).host;
    expect(message.startsWith(`${host} wants you to sign in with your Ethereum account:\n${wallet.address}\n\nSign in with Ethereum\n`)).toBe(true);
    expect(message).toContain(`URI: ${sandbox.unblockUrl}/auth/login`);
    expect(message).toContain("Chain ID: 80002");
    const signature = await wallet.signMessage({ message });
    const active = await onboarding.unblockLogin(wallet.address, signature);
    expect(active.steps.unblock).toMatchObject({ status: "session_active", email });
    const expiresAt = new Date(active.steps.unblock.sessionExpiresAt!).getTime();
    expect(Math.abs(expiresAt - (now().getTime() + 4 * 3600_000))).toBeLessThan(10_000);

    const unblockRow = (await database.db.select().from(onboardingSteps).where(eq(onboardingSteps.onboardingId, id))).find((r) => r.provider === "unblock");
    expect(unblockRow?.secret).toBeInstanceOf(Buffer);
    expect(unblockRow?.secretExpiresAt?.getTime()).toBe(expiresAt);

    const withAccount = await onboarding.openUnblockAccount(wallet.address, "EUR");
    expect(withAccount.steps.unblock.account).toEqual({
      currency: "EUR",
      iban: expect.stringMatching(/^[A-Z]{2}\d{2}/),
      bic: expect.any(String),
      accountHolder: "Ada Lovelace",
    });
    // the same currency again answers the stored account without a call
    expect((await onboarding.openUnblockAccount(wallet.address, "EUR")).steps.unblock.account).toEqual(withAccount.steps.unblock.account);

    expect(await unblockChanges(id)).toEqual(["not_started→user_created (user_created)", "user_created→session_active (siwe_login)"]);
    expect(await unblockCalls(id)).toEqual(["create_user ok", "get_user ok", "login_siwe ok", "open_bank_account ok"]);
    const eventsJson = JSON.stringify(await events(id));
    expect(eventsJson).not.toContain(signature);
    await assertNoSessionIdLeaks(id, withAccount);
  });

  it("creating the user is idempotent per onboarding", async () => {
    const { wallet, view } = await withUser();
    const again = await onboarding.createUnblockUser(wallet.address, form("another@example.com"));
    expect(again.steps.unblock).toEqual(view.steps.unblock);
  });

  it("email code sign-in: otpSentAt, the code from the mailbox → session_active; the code is in no event", async () => {
    const { wallet, email, id } = await withUser();
    const sent = await onboarding.requestUnblockOtp(wallet.address);
    expect(sent.steps.unblock).toMatchObject({ status: "user_created", otpSentAt: expect.any(String) });
    const code = await mailedCode(email);
    const wrong = String((Number(code) + 1) % 10 ** code.length).padStart(code.length, "0");
    expect(await appErrorOf(onboarding.verifyUnblockOtp(wallet.address, wrong))).toMatchObject({ code: "otp_invalid", status: 400 });
    const active = await onboarding.verifyUnblockOtp(wallet.address, code);
    expect(active.steps.unblock).toMatchObject({ status: "session_active", sessionExpiresAt: expect.any(String) });
    expect(active.steps.unblock.otpSentAt).toBeUndefined();
    await expect(onboarding.openUnblockAccount(wallet.address, "GBP")).resolves.toMatchObject({
      steps: { unblock: { account: { currency: "GBP", sortCode: expect.stringMatching(/^\d{6}$/), accountNumber: expect.any(String) } } },
    });
    expect(await unblockCalls(id)).toEqual(["create_user ok", "request_otp ok", "verify_otp error otp_invalid", "verify_otp ok", "open_bank_account ok"]);
    const eventsJson = JSON.stringify(await events(id));
    expect(eventsJson).not.toContain(`"${code}"`);
    await assertNoSessionIdLeaks(id, active);
  });

  it("a message is used once: a replayed signature is refused, and so is a stale message after a new one", async () => {
    const { wallet } = await withUser();
    const { message } = await onboarding.buildUnblockMessage(wallet.address);
    const signature = await wallet.signMessage({ message });
    await onboarding.unblockLogin(wallet.address, signature);
    const replay = await appErrorOf(onboarding.unblockLogin(wallet.address, signature));
    expect(replay).toMatchObject({ code: "unblock_message_required", status: 409 });
    expect(onboardingIn(replay).steps.unblock.status).toBe("session_active");

    // a message superseded by a newer one no longer signs in
    const old = await onboarding.buildUnblockMessage(wallet.address);
    await onboarding.buildUnblockMessage(wallet.address);
    const stale = await appErrorOf(onboarding.unblockLogin(wallet.address, await wallet.signMessage({ message: old.message })));
    // only the signature comes back: it does not match the message we hold now
    expect(stale).toMatchObject({ code: "unblock_signature_invalid", status: 400, details: { reason: "bad_signature" } });
  });

  it("a signature by another wallet is refused here, before Unblock, and the message stays signable", async () => {
    const { wallet, id } = await withUser();
    const { message } = await onboarding.buildUnblockMessage(wallet.address);
    const error = await appErrorOf(onboarding.unblockLogin(wallet.address, await newWallet().signMessage({ message })));
    expect(error).toMatchObject({ code: "unblock_signature_invalid", status: 400, details: { reason: "bad_signature" } });
    expect(await unblockCalls(id)).toEqual(["create_user ok", "get_user ok"]);
    await expect(onboarding.unblockLogin(wallet.address, await wallet.signMessage({ message }))).resolves.toMatchObject({
      steps: { unblock: { status: "session_active" } },
    });
  });

  it("after 4 h by the sandbox clock: session_expired (reading and at Unblock); signing in again loses nothing", async () => {
    const { wallet, email, id } = await withUser();
    await signIn(wallet);
    await onboarding.openUnblockAccount(wallet.address, "EUR");
    await advanceClock(14_401);

    const read = await onboarding.get(wallet.address);
    expect(read.steps.unblock).toMatchObject({ status: "session_expired", email, account: { currency: "EUR" } });
    const refused = await appErrorOf(onboarding.openUnblockAccount(wallet.address, "GBP"));
    expect(refused).toMatchObject({ code: "unblock_session_expired", status: 401, details: { reason: "expired" } });
    expect(onboardingIn(refused).steps.unblock).toMatchObject({ status: "session_expired", email, account: { currency: "EUR" } });

    const again = await signIn(wallet);
    expect(again.steps.unblock).toMatchObject({ status: "session_active", email, userId: read.steps.unblock.userId, account: { currency: "EUR" } });
    await expect(onboarding.openUnblockAccount(wallet.address, "GBP")).resolves.toMatchObject({ steps: { unblock: { account: { currency: "GBP" } } } });
    expect(await unblockChanges(id)).toEqual([
      "not_started→user_created (user_created)",
      "user_created→session_active (siwe_login)",
      "session_active→session_expired (session_timed_out)",
      "session_expired→session_active (siwe_login)",
    ]);
  });

  it("a login elsewhere ends our session: Unblock's 403 → session_expired (superseded), then sign in again", async () => {
    const { wallet, email, id } = await withUser();
    await signIn(wallet);
    // the same user signs in to Unblock elsewhere (by email code)
    const userId = (await onboarding.get(wallet.address)).steps.unblock.userId!;
    await unblock.requestOtp(userId);
    await unblock.verifyOtp(userId, await mailedCode(email));

    const refused = await appErrorOf(onboarding.openUnblockAccount(wallet.address, "EUR"));
    expect(refused).toMatchObject({ code: "unblock_session_expired", status: 401, details: { reason: "superseded" } });
    expect(onboardingIn(refused).steps.unblock).toMatchObject({ status: "session_expired", email, userId });
    expect(await unblockCalls(id)).toContain("open_bank_account error unblock_session_expired");

    await signIn(wallet);
    await expect(onboarding.openUnblockAccount(wallet.address, "EUR")).resolves.toMatchObject({
      steps: { unblock: { status: "session_active", account: { currency: "EUR" } } },
    });
    expect((await unblockChanges(id)).at(-2)).toBe("session_active→session_expired (session_superseded)");
    const eventsJson = JSON.stringify(await events(id));
    for (const sessionId of sessionIds) expect(eventsJson).not.toContain(sessionId);
  });

  it("validation errors field by field; a taken email is 409 with fields.email; nothing is stored", async () => {
    const wallet = newWallet();
    await onboarding.start({ address: wallet.address, chainId: 300 });
    const invalid = await appErrorOf(
      onboarding.createUnblockUser(wallet.address, { firstName: "A", lastName: "Смит", email: "not-an-email", country: "Germany" }),
    );
    expect(invalid).toMatchObject({ code: "invalid_request", status: 400 });
    expect(invalid.details?.fields).toEqual({
      firstName: expect.stringContaining("2 to 48"),
      lastName: expect.stringContaining("Latin"),
      email: expect.any(String),
      country: expect.stringContaining("ISO 3166-1"),
    });
    const missing = await appErrorOf(onboarding.createUnblockUser(wallet.address, {}));
    expect(Object.keys(missing.details?.fields as object).sort()).toEqual(["country", "email", "firstName", "lastName"]);

    const unknownCountry = await appErrorOf(onboarding.createUnblockUser(wallet.address, { ...form(), country: "XX" }));
    expect(unknownCountry).toMatchObject({ code: "invalid_request", status: 400, details: { fields: { country: expect.any(String) } } });

    const { email } = await withUser();
    const taken = await appErrorOf(onboarding.createUnblockUser(wallet.address, form(email)));
    expect(taken).toMatchObject({ code: "email_taken", status: 409, details: { fields: { email: expect.any(String) } } });
    expect((await onboarding.get(wallet.address)).steps.unblock).toEqual({ status: "not_started" });
    // lower-case country is accepted
    await expect(onboarding.createUnblockUser(wallet.address, { ...form(), country: "de" })).resolves.toMatchObject({
      steps: { unblock: { status: "user_created" } },
    });
  });

  it("steps in the wrong order answer what to do first", async () => {
    const wallet = newWallet();
    await onboarding.start({ address: wallet.address, chainId: 300 });
    expect(await appErrorOf(onboarding.buildUnblockMessage(wallet.address))).toMatchObject({ code: "unblock_user_required", status: 409 });
    await onboarding.createUnblockUser(wallet.address, form());
    expect(await appErrorOf(onboarding.unblockLogin(wallet.address, "0x00"))).toMatchObject({ code: "unblock_message_required", status: 409 });
    expect(await appErrorOf(onboarding.openUnblockAccount(wallet.address, "EUR"))).toMatchObject({ code: "unblock_session_required", status: 409 });
    expect(await appErrorOf(onboarding.get(newWallet().address))).toMatchObject({ code: "onboarding_not_found", status: 404 });
  });

  it("a wrong API key is a clear 502 unblock_unauthorized, recorded as an error call", async () => {
    const wallet = newWallet();
    const { onboarding: started } = await onboarding.start({ address: wallet.address, chainId: 300 });
    const wrong = service(unblockClient("wrong-key"));
    const error = await appErrorOf(wrong.createUnblockUser(wallet.address, form()));
    expect(error).toMatchObject({ code: "unblock_unauthorized", status: 502 });
    expect(await unblockCalls(started.id)).toEqual(["create_user error unblock_unauthorized"]);
  });

  it("Unblock down: 502 unblock_unavailable, nothing changes", async () => {
    const { wallet, id } = await withUser();
    await control("POST", "/faults", { provider: "unblock", path: "/auth/login", status: 503, rate: 1 });
    const error = await appErrorOf(signIn(wallet));
    expect(error).toMatchObject({ code: "unblock_unavailable", status: 502 });
    await control("DELETE", "/faults");
    expect((await onboarding.get(wallet.address)).steps.unblock.status).toBe("user_created");
    expect(await unblockCalls(id)).toEqual(["create_user ok", "get_user ok", "login_siwe error unblock_unavailable"]);
    await expect(signIn(wallet)).resolves.toMatchObject({ steps: { unblock: { status: "session_active" } } });
  });

  it("leaves the staff metrics rollup equal to a live recount after all of the above (Unblock sessions opened, expired and opened again)", async () => {
    expect(await rollupDifferences(database.db)).toEqual([]);
    const metrics = await staffMetrics(database.db, {});
    expect(metrics.funnel.started).toBeGreaterThan(0);
    expect(metrics.series.reduce((sum, day) => sum + day.started, 0)).toBe(metrics.funnel.started);
  });
});
