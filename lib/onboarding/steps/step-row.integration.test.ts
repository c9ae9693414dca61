/**
 * The step-row writer (./step-row.ts) on a real database (PGlite, and Postgres when TEST_DATABASE_URL is set,
 * there with two connection pools as two app instances would hold): two writers from the same row — exactly
 * one wins and one event is written; `settle` writes the loser over the winner's row; the onboarding row
 * touched, its status moved with its event; details merged and dropped in SQL.
 */
import { and, asc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../db/client";
import { onboardingEvents, onboardings } from "../../db/schema";
import { openTestDatabaseInstances, testDatabaseKinds, type TestDatabaseKind } from "../../db/test-databases";
import { AppError } from "../../errors";
import { onboardingStatusFor } from "../status";
import { stepRows, type StepRows } from "./step-row";

const T0 = new Date("2026-03-01T10:00:00.000Z");
let address = 0;

describe.each(testDatabaseKinds())("the step-row writer, database on %s", (kind: TestDatabaseKind) => {
  let first: Database;
  let second: Database;
  /** the same writer on each instance's pool, with a clock that moves a millisecond per read */
  let writers: [StepRows, StepRows];

  beforeAll(async () => {
    [first, second] = (await openTestDatabaseInstances(kind, 2)) as [Database, Database];
    let tick = 0;
    const now = () => new Date(T0.getTime() + tick++);
    writers = [first, second].map((database) => stepRows({ db: database.db, provider: "offblocks", name: "OffBlocks", now })) as [StepRows, StepRows];
  });
  afterAll(async () => {
    await second?.close();
    await first?.close();
  });

  async function newOnboarding(): Promise<string> {
    const wallet = `0x${(++address).toString(16).padStart(40, "0")}`;
    const [row] = await first.db.insert(onboardings).values({ address: wallet, chainId: 1, status: "pending", createdAt: T0, updatedAt: T0 }).returning();
    return row!.id;
  }

  const stepEvents = (onboardingId: string) =>
    first.db
      .select({ provider: onboardingEvents.provider, data: onboardingEvents.data })
      .from(onboardingEvents)
      .where(and(eq(onboardingEvents.onboardingId, onboardingId), eq(onboardingEvents.type, "status_change")))
      .orderBy(asc(onboardingEvents.id));

  it("of two first writes (no row yet), exactly one inserts the row and writes its event", async () => {
    for (let round = 0; round < 5; round++) {
      const id = await newOnboarding();
      const results = await Promise.all([
        writers[0].write(id, undefined, { to: "challenge_issued", cause: "first", patch: { externalId: "cus-a", challenge: "text a" } }),
        writers[1].write(id, undefined, { to: "verified", cause: "second", patch: { externalId: "cus-b" } }),
      ]);
      const winners = results.filter((row) => row !== undefined);
      expect(winners).toHaveLength(1);
      const stored = await writers[0].read(id);
      expect(stored).toEqual(winners[0]);
      const events = await stepEvents(id);
      expect(events).toEqual([
        { provider: "offblocks", data: { from: "not_started", to: stored!.status, cause: stored!.status === "verified" ? "second" : "first" } },
      ]);
    }
  });

  it("of two writers from the same row, exactly one wins: one event, one onboarding status move", async () => {
    for (let round = 0; round < 5; round++) {
      const id = await newOnboarding();
      const issued = await writers[0].write(id, undefined, { to: "challenge_issued", cause: "customer_created", patch: { challenge: "sign me" } });
      expect(issued?.status).toBe("challenge_issued");
      const results = await Promise.all([
        writers[0].write(id, issued, { to: "active", cause: "customer_followed", onboardingStatus: (current) => onboardingStatusFor(current, "active") }),
        writers[1].write(id, issued, { to: "rejected", cause: "customer_webhook", onboardingStatus: (current) => onboardingStatusFor(current, "rejected") }),
      ]);
      const winners = results.filter((row) => row !== undefined);
      expect(winners).toHaveLength(1);
      const winner = winners[0]!;
      expect(winner.challenge).toBe("sign me"); // not in the patch: kept
      const [onboarding] = await first.db.select().from(onboardings).where(eq(onboardings.id, id));
      const expected = winner.status === "active" ? "verified" : "failed";
      expect(onboarding!.status).toBe(expected);
      expect(onboarding!.updatedAt.getTime()).toBe(winner.updatedAt.getTime());
      const events = await stepEvents(id);
      expect(events.slice(1)).toEqual([
        {
          provider: "offblocks",
          data: { from: "challenge_issued", to: winner.status, cause: winner.status === "active" ? "customer_followed" : "customer_webhook" },
        },
        { provider: null, data: { from: "pending", to: expected } },
      ]);
    }
  });

  it("a renewed challenge is a new version: of two renewals from the same text, one wins, and no status event", async () => {
    const id = await newOnboarding();
    const issued = await writers[0].write(id, undefined, { to: "challenge_issued", cause: "customer_created", patch: { challenge: "old" } });
    const results = await Promise.all([
      writers[0].write(id, issued, { to: "challenge_issued", cause: "challenge_renewed", patch: { challenge: "new a" } }),
      writers[1].write(id, issued, { to: "challenge_issued", cause: "challenge_renewed", patch: { challenge: "new b" } }),
    ]);
    const winners = results.filter((row) => row !== undefined);
    expect(winners).toHaveLength(1);
    expect((await writers[0].read(id))?.challenge).toBe(winners[0]!.challenge);
    expect(await stepEvents(id)).toHaveLength(1); // the first row's only
    // a stale read (the old text) no longer writes
    expect(await writers[1].write(id, issued, { to: "verified", cause: "signature_accepted" })).toBeUndefined();
  });

  it("settle writes the loser over the winner's row (its event from the winner's status), or stops when told", async () => {
    const id = await newOnboarding();
    const issued = await writers[0].write(id, undefined, { to: "challenge_issued", cause: "customer_created", patch: { challenge: "sign me" } });
    const [a, b] = await Promise.all([
      writers[0].settle(id, issued, () => ({ to: "verified", cause: "signature_accepted", patch: { challenge: null } })),
      writers[1].settle(id, issued, () => ({ to: "screening", cause: "customer_followed", patch: { challenge: null } })),
    ]);
    expect(a.written && b.written).toBe(true);
    // the loser wrote last, over the winner's row: the stored status is the loser's
    const stored = await writers[0].read(id);
    expect([a.row, b.row]).toContainEqual(stored);
    const winnerTo = stored?.status === "verified" ? "screening" : "verified";
    const moves = (await stepEvents(id)).slice(1).map((event) => [event.data.from, event.data.to]);
    expect(moves).toEqual([
      ["challenge_issued", winnerTo],
      [winnerTo, stored?.status],
    ]);

    const told = await writers[1].settle(id, issued, (row) => (row?.status === "challenge_issued" ? { to: "verified", cause: "x" } : undefined));
    expect(told).toEqual({ row: stored, written: false });
  });

  it("settle from a stale row tries again from the stored one, and answers 409 <provider>_conflict after its attempts", async () => {
    const id = await newOnboarding();
    const issued = await writers[0].write(id, undefined, { to: "challenge_issued", cause: "customer_created", patch: { challenge: "sign me" } });
    const verified = await writers[1].write(id, issued, { to: "verified", cause: "signature_accepted", patch: { challenge: null } });
    expect(verified?.status).toBe("verified");

    const conflict = await writers[0].settle(id, issued, () => ({ to: "active", cause: "stale" }), 1).catch((thrown: unknown) => thrown);
    expect(conflict).toBeInstanceOf(AppError);
    expect(conflict).toMatchObject({ code: "offblocks_conflict", status: 409 });
    expect(await writers[0].read(id)).toEqual(verified);

    const seen: (string | undefined)[] = [];
    const settled = await writers[0].settle(
      id,
      issued,
      (row) => {
        seen.push(row?.status);
        return { to: "screening", cause: "customer_followed" };
      },
      2,
    );
    expect(seen).toEqual(["challenge_issued", "verified"]);
    expect(settled.written).toBe(true);
    expect(settled.row?.status).toBe("screening");
    expect((await stepEvents(id)).map((event) => [event.data.from, event.data.to])).toEqual([
      ["not_started", "challenge_issued"],
      ["challenge_issued", "verified"],
      ["verified", "screening"],
    ]);
  });

  it("merges details in SQL: keys it does not name stay, dropped keys go, replaceDetails sets the whole object; the email is stored", async () => {
    const id = await newOnboarding();
    const created = await writers[0].write(id, undefined, {
      to: "user_created",
      cause: "user_created",
      patch: { details: { email: "a@example.com" } },
      email: "a@example.com",
    });
    expect(created?.details).toEqual({ email: "a@example.com" });
    // two patches decided from rows that do not know each other's key
    const sent = await writers[0].write(id, created, { to: "user_created", cause: "otp_sent", patch: { details: { otpSentAt: "t1" } } });
    const opened = await writers[1].write(id, sent, { to: "user_created", cause: "account", patch: { details: { account: { currency: "EUR" } } } });
    expect(opened?.details).toEqual({ email: "a@example.com", otpSentAt: "t1", account: { currency: "EUR" } });
    const active = await writers[0].write(id, opened, { to: "session_active", cause: "otp_login", patch: { dropDetails: ["otpSentAt"] } });
    expect(active?.details).toEqual({ email: "a@example.com", account: { currency: "EUR" } });
    const replaced = await writers[0].write(id, active, { to: "session_active", cause: "reset", patch: { replaceDetails: {} } });
    expect(replaced?.details).toEqual({});
    const [onboarding] = await first.db.select().from(onboardings).where(eq(onboardings.id, id));
    expect(onboarding?.email).toBe("a@example.com");
    expect((await stepEvents(id)).map((event) => event.data.to)).toEqual(["user_created", "session_active"]);
  });

  it("writes nothing for an onboarding that is gone: a first row answers 404 onboarding_not_found, a later one finds no row", async () => {
    const id = await newOnboarding();
    const issued = await writers[0].write(id, undefined, { to: "challenge_issued", cause: "customer_created", patch: { challenge: "sign me" } });
    const gone = await newOnboarding();
    await first.db.delete(onboardings).where(eq(onboardings.id, gone));
    const onGone = writers[1].write(gone, undefined, { to: "challenge_issued", cause: "customer_created" });
    await expect(onGone).rejects.toBeInstanceOf(AppError);
    await expect(onGone).rejects.toMatchObject({ code: "onboarding_not_found", status: 404 });
    await first.db.delete(onboardings).where(eq(onboardings.id, id));
    expect(await writers[1].write(id, issued, { to: "active", cause: "customer_followed" })).toBeUndefined();
    expect(await first.db.select().from(onboardingEvents).where(eq(onboardingEvents.onboardingId, gone))).toEqual([]);
  });
});
