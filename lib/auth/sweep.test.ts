/** The sign-in housekeeping: expired nonces and sessions over a day past their end go; live ones stay. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../db/client";
import { authSessions, signInNonces } from "../db/schema";
import { openTestDatabase, testDatabaseKinds } from "../db/test-databases";
import { issueNonce } from "./nonce";
import { createSession, endSession } from "./sessions";
import { sweepSignIns } from "./sweep";

const hours = (n: number) => n * 3600_000;

describe.each(testDatabaseKinds())("sign-in housekeeping on %s", (kind) => {
  let database: Database;
  beforeAll(async () => {
    database = await openTestDatabase(kind);
  });
  afterAll(async () => {
    await database?.close();
  });

  it("deletes expired nonces and sessions ended or expired more than a day ago, and nothing live", async () => {
    const now = new Date();
    const ago = (ms: number) => new Date(now.getTime() - ms);
    const address = "0x000000000000000000000000000000000000dEaD" as const;
    const expiredNonce = await issueNonce(database.db, ago(hours(1)));
    const liveNonce = await issueNonce(database.db, now);
    const endedLongAgo = await createSession(database.db, { address, chainId: 300 }, ago(hours(30)));
    await endSession(database.db, endedLongAgo.id, "logout", ago(hours(26)));
    const endedRecently = await createSession(database.db, { address, chainId: 300 }, ago(hours(2)));
    await endSession(database.db, endedRecently.id, "logout", ago(hours(1)));
    const live = await createSession(database.db, { address, chainId: 300 }, now);

    const deleted = await sweepSignIns(database.db, now);
    expect(deleted.nonces).toBeGreaterThanOrEqual(1);
    expect(deleted.sessions).toBeGreaterThanOrEqual(1);
    const nonceIds = (await database.db.select({ id: signInNonces.id }).from(signInNonces)).map((row) => row.id);
    expect(nonceIds).not.toContain(expiredNonce.id);
    expect(nonceIds).toContain(liveNonce.id);
    const sessionIds = (await database.db.select({ id: authSessions.id }).from(authSessions)).map((row) => row.id);
    expect(sessionIds).not.toContain(endedLongAgo.id);
    expect(sessionIds).toEqual(expect.arrayContaining([endedRecently.id, live.id]));
  });
});
