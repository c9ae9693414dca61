/**
 * The fleet's provider tokens (token-cache.ts) against the real sandbox on port 0: three "instances" (on
 * Postgres each its own pool; on PGlite one process) with their own OffBlocks and Bloq clients, built the
 * way the app builds them, firing 50 concurrent calls each, make exactly one OffBlocks `POST /auth/token`
 * and one Bloq client-token request, counted through `GET /_sandbox/requests`; past the lifetime exactly
 * one more; a restart reuses the stored token; a rotation gets a new token; the stored token is sealed.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSandbox, type SandboxHandle } from "../../sandbox/server";
import { createSecretBox } from "../crypto/secret-box";
import type { Database } from "../db/client";
import { providerTokens } from "../db/schema";
import { openTestDatabaseInstances, testDatabaseKinds, type TestDatabaseKind } from "../db/test-databases";
import { sandboxBloqConfig } from "../../testing/sandbox-bloq";
import { newTestSigningKey, sandboxOffblocksConfig, silentLogger } from "../../testing/sandbox-offblocks";
import { createBloqClient } from "./bloq";
import { createOffblocksClient } from "./offblocks";

const DATA_KEY = "token-fleet-test-data-key-0123456789abcdef";
const CALLS = 50;

describe.each(testDatabaseKinds())("provider tokens shared by a fleet, database on %s", (kind: TestDatabaseKind) => {
  let sandbox: SandboxHandle;
  let instances: Database[];
  let offsetSeconds = 0;
  const now = () => Date.now() + offsetSeconds * 1000;
  const signingKey = newTestSigningKey();

  const tokenRequests = async (provider: "offblocks" | "bloq", path: string): Promise<number> => {
    const url = `${sandbox.url}/_sandbox/requests?provider=${provider}&method=POST&path=${encodeURIComponent(path)}`;
    const body = (await (await fetch(url)).json()) as { items: { status: number }[] };
    return body.items.filter((r) => r.status === 200).length;
  };
  const offblocksTokens = () => tokenRequests("offblocks", "/offblocks/v1/auth/token");
  const bloqTokens = () => tokenRequests("bloq", "/bloq/accounts/auth/token");

  const newInstance = (database: Database) => {
    const config = {
      ...sandboxOffblocksConfig(sandbox, { dataDir: "/nonexistent", dataKey: DATA_KEY }),
      bloq: sandboxBloqConfig(sandbox),
    };
    const secretBox = createSecretBox(() => DATA_KEY);
    const backoff = { baseDelayMs: 5, maxDelayMs: 20 };
    return {
      offblocks: createOffblocksClient({ db: database.db, config, logger: silentLogger, secretBox, signingKey, backoff, now }),
      bloq: createBloqClient({ db: database.db, config, logger: silentLogger, secretBox, backoff, now }),
    };
  };

  /** every instance fires CALLS concurrent OffBlocks and Bloq calls */
  const fire = async (fleet: ReturnType<typeof newInstance>[]) => {
    const calls = fleet.flatMap((instance) =>
      Array.from({ length: CALLS }, (_, i) => (i % 2 === 0 ? instance.offblocks.listCustomers() : instance.bloq.connectStatus())),
    );
    const results = await Promise.all(calls);
    for (const result of results) expect(result === "ok" || Array.isArray(result)).toBe(true);
  };

  beforeAll(async () => {
    sandbox = await startSandbox({ autoAdvanceMs: false });
    instances = await openTestDatabaseInstances(kind, 3);
  });
  afterAll(async () => {
    await instances?.[0]?.close();
    await sandbox?.close();
  });

  it("makes one token request per provider and lifetime, fleet-wide; a restart reuses it; a rotation renews it", async () => {
    const fleet = instances.map(newInstance);
    // Every instance registers the request-signing key as it starts, all at once (OffBlocks keeps one per
    // merchant, each registration replacing the last): the refused ones adopt the keyId stored last, and every
    // call goes through. The registrations take a token, which the whole fleet then shares.
    await Promise.all(fleet.map((instance) => instance.offblocks.credentials.ensureSigningKey()));
    await fire(fleet);
    expect(await offblocksTokens()).toBe(1);
    expect(await bloqTokens()).toBe(1);

    // sealed at rest: no plaintext token in the table
    const rows = await instances[0]!.db.select().from(providerTokens);
    expect(rows.map((r) => r.provider).sort()).toEqual(["bloq", "offblocks"]);
    for (const row of rows) {
      const bytes = Buffer.from(row.token).toString("latin1");
      expect(bytes).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}/); // no JWT
      expect(bytes).not.toContain("accessToken");
    }

    // past the lifetime (sandbox clock and ours): exactly one more each
    await fetch(`${sandbox.url}/_sandbox/clock`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ advanceSeconds: 3_600 }),
    });
    offsetSeconds = 3_600;
    await fire(fleet);
    expect(await offblocksTokens()).toBe(2);
    expect(await bloqTokens()).toBe(2);

    // a restart: new instance objects on the same database reuse the stored tokens
    await fire(instances.map(newInstance));
    expect(await offblocksTokens()).toBe(2);
    expect(await bloqTokens()).toBe(2);

    // a rotation: the next calls use a new token (one, for the whole fleet)
    const before = await fleet[1]!.offblocks.credentials.status();
    await fleet[0]!.offblocks.credentials.rotate("3d8f2a61-7c4e-4b9a-8f0d-2e6c1b5a9d47", "rotated-secret-for-the-fleet-test");
    await fire(fleet);
    expect(await offblocksTokens()).toBe(3);
    const after = await fleet[1]!.offblocks.credentials.status();
    expect(after.version).toBe(before.version + 1);
  });

  it("a rotation OffBlocks took but whose answer was lost: every instance, refused at once, adopts it with one token request", async () => {
    const fleet = instances.map(newInstance);
    await fire(fleet);
    const before = await offblocksTokens();
    // every attempt's answer is lost after OffBlocks applied it: the new credentials stay pending in our row
    await fetch(`${sandbox.url}/_sandbox/faults`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ provider: "offblocks", rate: 1, path: "/auth/credentials", method: "PUT", status: 500, times: 10, phase: "after" }),
    });
    await expect(fleet[0]!.offblocks.credentials.rotate("6a2c9e14-3b7d-4f58-9e01-7d4c2b8a5f36", "lost-answer-fleet-secret")).rejects.toMatchObject({
      code: "offblocks_unavailable",
    });
    await fetch(`${sandbox.url}/_sandbox/faults`, { method: "DELETE" });
    expect(await fleet[1]!.offblocks.credentials.status()).toMatchObject({ rotationPending: true });
    // every instance's token died with the rotation: all are refused at once, and share one new token
    await fire(fleet);
    expect(await offblocksTokens()).toBe(before + 1);
    expect(await fleet[2]!.offblocks.credentials.status()).toMatchObject({ rotationPending: false, apiKey: "6a2c9e14-3b7d-4f58-9e01-7d4c2b8a5f36" });
  });
});
