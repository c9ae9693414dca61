/**
 * The OffBlocks client against the real emulator (sandbox/server.ts on port 0) and a real database
 * (PGlite, and Postgres when TEST_DATABASE_URL is set). Nothing is mocked: `fetch` is only wrapped to
 * record what went over the wire.
 */
import { generateKeyPairSync } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { eq } from "drizzle-orm";
import { generatePrivateKey, privateKeyToAccount, type PrivateKeyAccount } from "viem/accounts";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startSandbox, type SandboxHandle } from "../../../sandbox/server";
import type { Config } from "../../config";
import { createSecretBox } from "../../crypto/secret-box";
import type { Database } from "../../db/client";
import { idempotencyKeys, providerCredentials, providerTokens } from "../../db/schema";
import { openTestDatabase, testDatabaseKinds, type TestDatabaseKind } from "../../db/test-databases";
import { createLogger } from "../../log";
import { SANDBOX_DEFAULTS } from "../../sandbox-defaults";
import { signingKeyFromPem } from "./signing-key";
import { createOffblocksClient, type OffblocksClient } from "./index";

const DATA_KEY = "integration-test-data-key-0123456789abcdef";
const box = createSecretBox(() => DATA_KEY);
const signingKey = signingKeyFromPem(
  generateKeyPairSync("ec", { namedCurve: "secp384r1" }).privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
  "env",
);
const silent = createLogger({ level: "silent" });

interface Sent {
  method: string;
  path: string;
  idempotencyKey: string | null;
  authorization: string | null;
}

const newWallet = (): PrivateKeyAccount => privateKeyToAccount(generatePrivateKey());
const caip10 = (account: PrivateKeyAccount) => `eip155:300:${account.address}`;

describe.each(testDatabaseKinds())("offblocks client against the sandbox, database on %s", (kind: TestDatabaseKind) => {
  let sandbox: SandboxHandle;
  let database: Database;
  let dataDir: string;
  let mark = 0;
  let sent: Sent[] = [];

  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0, autoAdvanceMs: false });
    database = await openTestDatabase(kind);
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "offblocks-it-"));
  });
  afterAll(async () => {
    await sandbox?.close();
    await database?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });
  beforeEach(async () => {
    await control("POST", "/reset");
    await database.db.delete(idempotencyKeys);
    await database.db.delete(providerCredentials);
    await database.db.delete(providerTokens);
    mark = sandbox.requests.length;
    sent = [];
  });

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

  /** Requests the sandbox served since the test began, as "METHOD /path status". */
  const served = () =>
    sandbox.requests
      .slice(mark)
      .filter((r) => !r.path.startsWith("/_sandbox"))
      .map((r) => `${r.method} ${r.path.replace("/offblocks/v1", "")} ${r.status}`);
  const count = (line: string) => served().filter((s) => s.startsWith(line)).length;

  const recordingFetch: typeof fetch = async (input, init) => {
    const url = new URL(input instanceof Request ? input.url : input.toString());
    const headers = new Headers(init?.headers);
    sent.push({
      method: init?.method ?? "GET",
      path: url.pathname.replace("/offblocks/v1", ""),
      idempotencyKey: headers.get("idempotency-key"),
      authorization: headers.get("authorization"),
    });
    return fetch(input, init);
  };

  function testConfig(overrides: Partial<Config["offblocks"]> = {}): Pick<Config, "offblocks" | "dataDir" | "dataKey" | "sandbox"> {
    return {
      dataDir,
      dataKey: DATA_KEY,
      sandbox: { enabled: true, start: true, port: 0, url: sandbox.url },
      offblocks: {
        baseUrl: sandbox.offblocksUrl,
        apiKey: SANDBOX_DEFAULTS.offblocks.apiKey,
        apiSecret: SANDBOX_DEFAULTS.offblocks.apiSecret,
        signingKeyPem: undefined,
        timeoutMs: 2_000,
        maxRetries: 3,
        ...overrides,
      },
    };
  }

  /** A client instance; a second call is a "restarted process" on the same database. */
  function newClient(overrides: Partial<Config["offblocks"]> = {}, now?: () => number): OffblocksClient {
    return createOffblocksClient({
      now,
      db: database.db,
      config: testConfig(overrides),
      logger: silent,
      fetch: recordingFetch,
      secretBox: box,
      signingKey,
      backoff: { baseDelayMs: 5, maxDelayMs: 20 },
    });
  }

  async function signedBy(account: PrivateKeyAccount, message: string): Promise<`0x${string}`> {
    return account.signMessage({ message });
  }

  it("happy path: create, sign the challenge with the wallet, screening, active", async () => {
    const client = newClient();
    const wallet = newWallet();
    const { customer, challenge } = await client.createCustomer({ onboardingId: "onb-1", caip10: caip10(wallet) });
    expect(customer).toMatchObject({ externalId: "onb-1", chainId: caip10(wallet), status: "initiating" });
    expect(challenge).not.toBeNull();
    expect(challenge!.message).toContain(`wants you to sign in with your Ethereum account:\n${wallet.address}\n`);
    expect(challenge!.message).toContain("Chain ID: 300");
    expect(challenge!.message).toBe(Buffer.from(challenge!.base64, "base64").toString("utf8"));
    expect(challenge!.expiresAt.getTime()).toBeGreaterThan(Date.now() + 3500_000);

    const signed = await client.signChallenge({
      customerId: customer.id,
      caip10: caip10(wallet),
      challengeBase64: challenge!.base64,
      signatureHex: await signedBy(wallet, challenge!.message),
    });
    expect(signed).toMatchObject({ id: customer.id, status: "screening" });
    await client.simulateVerify(customer.id);
    expect(await client.getCustomer(customer.id)).toMatchObject({ status: "active" });

    // Repeating the creation is idempotent: the same customer.
    const again = await client.createCustomer({ onboardingId: "onb-1", caip10: caip10(wallet) });
    expect(again.customer.id).toBe(customer.id);
    expect(await client.listCustomers({ chainId: caip10(wallet) })).toHaveLength(1);
    expect(await client.findCustomerByCaip10(caip10(wallet).toLowerCase())).toMatchObject({ id: customer.id });

    expect(count("POST /auth/token")).toBe(1);
    expect(count("PUT /auth/signing")).toBe(1);
    const [row] = await database.db.select().from(providerCredentials);
    expect(row?.signingKeyId).toBe(await client.credentials.ensureSigningKey());
    expect(row?.tokenExpiresAt).toBeInstanceOf(Date);
    const [operation] = await database.db.select().from(idempotencyKeys).where(eq(idempotencyKeys.operation, "offblocks:create-customer:onb-1"));
    expect(operation).toMatchObject({ provider: "offblocks", responseStatus: 201 });
    expect(await client.health()).toBe("ok");
  });

  it("simulator reject and webhooks", async () => {
    const client = newClient();
    const wallet = newWallet();
    const { customer, challenge } = await client.createCustomer({ onboardingId: "onb-r", caip10: caip10(wallet) });
    await client.signChallenge({
      customerId: customer.id,
      caip10: caip10(wallet),
      challengeBase64: challenge!.base64,
      signatureHex: await signedBy(wallet, challenge!.message),
    });
    await client.simulateReject(customer.id);
    expect(await client.getCustomer(customer.id)).toMatchObject({ status: "rejected" });
    await expect(client.simulateVerify(customer.id)).rejects.toMatchObject({ code: "offblocks_invalid_state", status: 409 });
    await expect(client.getChallenge(customer.id)).rejects.toMatchObject({ code: "offblocks_invalid_state" });
    await expect(client.getCustomer("00000000-0000-4000-8000-000000000000")).rejects.toMatchObject({ code: "offblocks_not_found", status: 404 });

    const hook = await client.registerWebhook({ callbackUrl: "http://127.0.0.1:9/hooks/s3cret", types: ["customer.updated"] });
    expect(hook).toMatchObject({ callbackUrl: "http://127.0.0.1:9/hooks/s3cret", types: ["customer.updated"] });
    const replaced = await client.registerWebhook({ id: hook.id, callbackUrl: "http://127.0.0.1:9/hooks/other", types: ["customer.updated"] });
    expect(replaced.id).toBe(hook.id);
    expect((await client.listWebhooks()).map((w) => w.callbackUrl)).toEqual(["http://127.0.0.1:9/hooks/other"]);
  });

  it("a wrong signature is refused with signature_invalid and a fresh challenge follows", async () => {
    const client = newClient();
    const wallet = newWallet();
    const { customer, challenge } = await client.createCustomer({ onboardingId: "onb-2", caip10: caip10(wallet) });
    await expect(
      client.signChallenge({
        customerId: customer.id,
        caip10: caip10(wallet),
        challengeBase64: challenge!.base64,
        signatureHex: await signedBy(newWallet(), challenge!.message),
      }),
    ).rejects.toMatchObject({ code: "signature_invalid", status: 400 });

    const before = sandbox.requests.length;
    await expect(
      client.signChallenge({ customerId: customer.id, caip10: caip10(wallet), challengeBase64: challenge!.base64, signatureHex: `0x${"ab".repeat(64)}` }),
    ).rejects.toMatchObject({ code: "signature_invalid", status: 400 });
    expect(sandbox.requests.length).toBe(before); // refused before any call

    const fresh = await client.getChallenge(customer.id);
    expect(fresh.base64).not.toBe(challenge!.base64);
    const signed = await client.signChallenge({
      customerId: customer.id,
      caip10: caip10(wallet),
      challengeBase64: fresh.base64,
      signatureHex: await signedBy(wallet, fresh.message),
    });
    expect(signed.status).toBe("screening");
  });

  it("an expired challenge answers challenge_expired (410), then a fresh one signs fine; the token is refreshed once", async () => {
    const client = newClient();
    const wallet = newWallet();
    const { customer, challenge } = await client.createCustomer({ onboardingId: "onb-3", caip10: caip10(wallet) });
    const signatureHex = await signedBy(wallet, challenge!.message);
    await advanceClock(3601);
    await expect(
      client.signChallenge({ customerId: customer.id, caip10: caip10(wallet), challengeBase64: challenge!.base64, signatureHex }),
    ).rejects.toMatchObject({ code: "challenge_expired", status: 410 });
    const fresh = await client.getChallenge(customer.id);
    expect(fresh.base64).not.toBe(challenge!.base64);
    expect(fresh.expiresAt.getTime()).toBeGreaterThan(challenge!.expiresAt.getTime());
    const signed = await client.signChallenge({
      customerId: customer.id,
      caip10: caip10(wallet),
      challengeBase64: fresh.base64,
      signatureHex: await signedBy(wallet, fresh.message),
    });
    expect(signed.status).toBe("screening");
    expect(count("POST /auth/token")).toBe(2);
  });

  it("an expired token is refreshed exactly once, even for many concurrent calls", async () => {
    const client = newClient();
    const { customer } = await client.createCustomer({ onboardingId: "onb-4", caip10: caip10(newWallet()) });
    expect(count("POST /auth/token")).toBe(1);
    await advanceClock(3601);
    const results = await Promise.all(Array.from({ length: 25 }, () => client.getCustomer(customer.id)));
    expect(results.every((c) => c.id === customer.id)).toBe(true);
    expect(count("POST /auth/token")).toBe(2);
    expect(served().filter((s) => s.endsWith(" 401")).length).toBeGreaterThanOrEqual(1);
    expect(count("PUT /auth/signing")).toBe(1);
  });

  it("renews the token 60 s before it expires, without waiting for a 401", async () => {
    let now = Date.now();
    const client = newClient({}, () => now);
    await client.listCustomers();
    const { tokenExpiresAt } = await client.credentials.status();
    expect(tokenExpiresAt).toBeInstanceOf(Date);
    now = tokenExpiresAt!.getTime() - 61_000;
    await client.listCustomers();
    expect(count("POST /auth/token")).toBe(1);
    now = tokenExpiresAt!.getTime() - 59_000;
    await client.listCustomers();
    expect(count("POST /auth/token")).toBe(2);
    expect(served().some((s) => s.endsWith(" 401"))).toBe(false);
  });

  it("100 concurrent calls on a fresh client share exactly one token request and one key registration", async () => {
    const client = newClient();
    const results = await Promise.all(Array.from({ length: 100 }, () => client.listCustomers()));
    expect(results).toHaveLength(100);
    expect(count("POST /auth/token")).toBe(1);
    expect(count("PUT /auth/signing")).toBe(1);
    expect(count("GET /customers")).toBe(100);
  });

  it("rotates the credentials mid-run: the old token dies, calls keep working, the stored version goes up", async () => {
    const client = newClient();
    const { customer } = await client.createCustomer({ onboardingId: "onb-5", caip10: caip10(newWallet()) });
    const otherInstance = newClient(); // another process on the same database, already holding a token
    await otherInstance.getCustomer(customer.id);
    const oldToken = sent.find((s) => s.authorization?.startsWith("Bearer "))?.authorization;
    expect(oldToken).toBeDefined();
    const newKey = "3d8f2a61-7c4e-4b9a-8f0d-2e6c1b5a9d47";
    const newSecret = "rotated-secret-for-the-integration-test";

    const during = Array.from({ length: 20 }, () => client.getCustomer(customer.id));
    const rotation = client.credentials.rotate(newKey, newSecret);
    const after = Array.from({ length: 20 }, () => client.getCustomer(customer.id));
    expect(await rotation).toEqual({ version: 2 });
    for (const result of await Promise.all([...during, ...after])) expect(result.id).toBe(customer.id);
    expect(await client.getCustomer(customer.id)).toMatchObject({ id: customer.id });

    const stale = await fetch(`${sandbox.offblocksUrl}/customers`, { headers: { authorization: oldToken! } });
    expect(stale.status).toBe(401);
    expect(await stale.json()).toMatchObject({ error: { code: "unauthorized" } });
    const oldCredentials = await fetch(`${sandbox.offblocksUrl}/auth/token`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(SANDBOX_DEFAULTS.offblocks),
    });
    expect(oldCredentials.status).toBe(401);

    const [row] = await database.db.select().from(providerCredentials);
    expect(row).toMatchObject({ version: 2, apiKey: newKey, pendingApiKey: null, pendingSecret: null });
    expect(row?.secret?.includes(Buffer.from(newSecret))).toBe(false);
    expect(box.openText(row!.secret!, "provider_credentials:offblocks")).toBe(newSecret);
    expect(await client.credentials.status()).toMatchObject({ source: "stored", version: 2, apiKey: newKey, rotationPending: false });

    // Another running instance finds its token dead, re-reads the row and follows the rotation.
    expect(await otherInstance.getCustomer(customer.id)).toMatchObject({ id: customer.id });
    expect(await otherInstance.credentials.status()).toMatchObject({ source: "stored", version: 2 });

    // A restarted process uses the stored credentials over the configured (now dead) ones, and the stored token.
    const tokensBefore = count("POST /auth/token");
    const restarted = newClient();
    expect(await restarted.getCustomer(customer.id)).toMatchObject({ id: customer.id });
    expect(count("POST /auth/token")).toBe(tokensBefore);
    expect(await restarted.credentials.status()).toMatchObject({ source: "stored", version: 2 });
  });

  it("adopts rotated credentials whose confirmation was lost (crash between the provider's answer and our commit)", async () => {
    const client = newClient({ maxRetries: 0 });
    await client.listCustomers();
    const newKey = "8b1e4c2d-5f6a-4e7b-9c8d-0a1b2c3d4e5f";
    await fault({ path: "/auth/credentials", method: "PUT", status: 500, times: 1, phase: "after" });
    await expect(client.credentials.rotate(newKey, "lost-answer-secret")).rejects.toMatchObject({ code: "offblocks_unavailable" });
    expect(await client.credentials.status()).toMatchObject({ version: 1, rotationPending: true });

    const restarted = newClient();
    expect(await restarted.listCustomers()).toEqual([]);
    expect(await restarted.credentials.status()).toMatchObject({ source: "stored", version: 2, apiKey: newKey, rotationPending: false });
  });

  it("retries injected 5xx faults before and after processing: exactly one customer", async () => {
    const client = newClient();
    const wallet = newWallet();
    await fault({ path: "/customers", method: "POST", status: 503, times: 2, phase: "before" });
    const first = await client.createCustomer({ onboardingId: "onb-6", caip10: caip10(wallet) });
    expect(served().filter((s) => s.startsWith("POST /customers"))).toEqual(["POST /customers 503", "POST /customers 503", "POST /customers 201"]);

    const other = newWallet();
    mark = sandbox.requests.length;
    await fault({ path: "/customers", method: "POST", status: 500, times: 2, phase: "after" });
    const second = await client.createCustomer({ onboardingId: "onb-7", caip10: caip10(other) });
    expect(served().filter((s) => s.startsWith("POST /customers"))).toEqual(["POST /customers 500", "POST /customers 500", "POST /customers 201"]);
    const keys = sent.filter((s) => s.method === "POST" && s.path === "/customers").map((s) => s.idempotencyKey);
    expect(new Set(keys.slice(-3)).size).toBe(1);

    const all = await client.listCustomers();
    expect(all.map((c) => c.id).sort()).toEqual([first.customer.id, second.customer.id].sort());
    expect(all.filter((c) => c.chainId === caip10(other))).toHaveLength(1);
  });

  it("never retries a 4xx, and gives up with offblocks_unavailable after the bounded retries", async () => {
    const client = newClient({ maxRetries: 2 });
    await client.listCustomers();
    mark = sandbox.requests.length;
    await fault({ path: "/customers", method: "GET", status: 429, times: 5 });
    await expect(client.listCustomers()).rejects.toMatchObject({ code: "offblocks_rejected", status: 502 });
    expect(served()).toEqual(["GET /customers 429"]);
    await control("DELETE", "/faults");
    mark = sandbox.requests.length;
    await fault({ path: "/customers", method: "GET", status: 502, times: 10 });
    await expect(client.listCustomers()).rejects.toMatchObject({ code: "offblocks_unavailable", status: 502 });
    expect(served()).toEqual(["GET /customers 502", "GET /customers 502", "GET /customers 502"]);
  });

  it("waits out a timed-out attempt still in flight (409) and gets the stored answer", async () => {
    const client = newClient({ timeoutMs: 300 });
    await client.listCustomers();
    await fault({ path: "/customers", method: "POST", latencyMs: 700, times: 1 });
    const wallet = newWallet();
    const { customer } = await client.createCustomer({ onboardingId: "onb-8", caip10: caip10(wallet) });
    expect(served()).toContain("POST /customers 409");
    expect(await client.listCustomers({ chainId: caip10(wallet) })).toEqual([customer]);
  });

  it("a restart between 'key stored' and 'call answered' repeats the call with the same key: no duplicate", async () => {
    const wallet = newWallet();
    const first = newClient({ maxRetries: 0 });
    await fault({ path: "/customers", method: "POST", status: 500, times: 1, phase: "after" });
    await expect(first.createCustomer({ onboardingId: "onb-9", caip10: caip10(wallet) })).rejects.toMatchObject({
      code: "offblocks_unavailable",
      status: 502,
    });
    const [open] = await database.db.select().from(idempotencyKeys).where(eq(idempotencyKeys.operation, "offblocks:create-customer:onb-9"));
    expect(open).toMatchObject({ responseStatus: null, completedAt: null });

    const restarted = newClient();
    const { customer, challenge } = await restarted.createCustomer({ onboardingId: "onb-9", caip10: caip10(wallet) });
    const keys = sent.filter((s) => s.method === "POST" && s.path === "/customers").map((s) => s.idempotencyKey);
    expect(keys).toEqual([open!.key, open!.key]);
    expect(served().filter((s) => s.startsWith("POST /customers"))).toEqual(["POST /customers 500", "POST /customers 201"]);
    const listed = await restarted.listCustomers({ chainId: caip10(wallet) });
    expect(listed.map((c) => c.id)).toEqual([customer.id]);
    expect(challenge).not.toBeNull();
    const [done] = await database.db.select().from(idempotencyKeys).where(eq(idempotencyKeys.operation, "offblocks:create-customer:onb-9"));
    expect(done).toMatchObject({ key: open!.key, responseStatus: 201 });
  });

  it("after the provider forgot the key, a repeated creation finds the existing customer (409 customer_exists)", async () => {
    const wallet = newWallet();
    const first = newClient({ maxRetries: 0 });
    await fault({ path: "/customers", method: "POST", status: 500, times: 1, phase: "after" });
    await expect(first.createCustomer({ onboardingId: "onb-10", caip10: caip10(wallet) })).rejects.toMatchObject({ code: "offblocks_unavailable" });
    await advanceClock(3700); // idempotency memory (1 h) and the challenge are gone

    const restarted = newClient();
    const { customer, challenge } = await restarted.createCustomer({ onboardingId: "onb-10", caip10: caip10(wallet) });
    expect(served()).toContain("POST /customers 409");
    expect(customer).toMatchObject({ externalId: "onb-10", status: "initiating" });
    expect(await restarted.listCustomers()).toHaveLength(1);
    const signed = await restarted.signChallenge({
      customerId: customer.id,
      caip10: caip10(wallet),
      challengeBase64: challenge!.base64,
      signatureHex: await signedBy(wallet, challenge!.message),
    });
    expect(signed.status).toBe("screening");
  });

  it("registers the signing key again when the sandbox restarted and forgot it", async () => {
    const client = newClient();
    await client.listCustomers();
    const firstKeyId = await client.credentials.ensureSigningKey();
    await control("POST", "/reset");
    mark = sandbox.requests.length;
    expect(await client.listCustomers()).toEqual([]);
    expect(served()).toEqual([
      "GET /customers 401", // token from before the restart
      "POST /auth/token 200",
      "GET /customers 401", // signing_key_unknown
      "PUT /auth/signing 200",
      "GET /customers 200",
    ]);
    const secondKeyId = await client.credentials.ensureSigningKey();
    expect(secondKeyId).not.toBe(firstKeyId);
    const [row] = await database.db.select().from(providerCredentials);
    expect(row?.signingKeyId).toBe(secondKeyId);
  });

  it("falls back to the sandbox defaults when the sandbox forgot a rotation", async () => {
    const client = newClient();
    await client.credentials.rotate("0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9", "rotated-then-forgotten");
    await control("POST", "/reset");
    const restarted = newClient();
    expect(await restarted.listCustomers()).toEqual([]);
    expect(await restarted.credentials.status()).toMatchObject({ source: "config", version: 3, apiKey: SANDBOX_DEFAULTS.offblocks.apiKey });
  });

  it("revokes API access for good", async () => {
    const client = newClient();
    await client.listCustomers();
    await client.credentials.revoke();
    await expect(client.listCustomers()).rejects.toMatchObject({ code: "offblocks_revoked", status: 503 });
    await expect(newClient().listCustomers()).rejects.toMatchObject({ code: "offblocks_revoked" });
    expect(await client.health()).toBe("down");
    const [row] = await database.db.select().from(providerCredentials);
    expect(row?.revokedAt).toBeInstanceOf(Date);
  });
});
