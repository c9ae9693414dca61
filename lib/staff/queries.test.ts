/**
 * The staff's reads on a real database (PGlite, and Postgres when TEST_DATABASE_URL is set), over a small
 * data set written straight into the tables: keyset pagination (equal timestamps, microseconds), filters,
 * search, the detail timeline, the metrics' numbers, and the CSV export (the event stream: stream.test.ts).
 */
import { sql } from "drizzle-orm";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database, Db } from "../db/client";
import { onboardingEvents, onboardings, onboardingSteps } from "../db/schema";
import { openTestDatabase, testDatabaseKinds, type TestDatabaseKind } from "../db/test-databases";
import { onboardingsCsv } from "./csv-export";
import { decodeCursor, parseListQuery, type ListQuery } from "./filters";
import { addStaff, isStaffWallet, listStaff, removeStaff } from "./members";
import { allOnboardings, listOnboardings, onboardingDetail, type StaffOnboarding } from "./queries";
import { staffMetrics } from "./metrics";

const T0 = new Date("2026-01-01T00:00:00.000Z");
const NOW = new Date("2026-01-02T00:00:00.000Z");
const at = (ms: number) => new Date(T0.getTime() + ms);
const MIN = 60_000;
const newAddress = () => privateKeyToAccount(generatePrivateKey()).address;

interface Seeded {
  id: string;
  address: string;
}

async function onboarding(
  db: Db,
  values: { createdAt: Date; status?: string; email?: string | null },
  steps: { provider: string; status: string; externalId?: string; createdAt?: Date }[] = [],
  verifiedAfterMs?: number,
): Promise<Seeded> {
  const address = newAddress();
  const [row] = await db
    .insert(onboardings)
    .values({
      address,
      chainId: 300,
      status: values.status ?? "pending",
      email: values.email ?? null,
      createdAt: values.createdAt,
      updatedAt: values.createdAt,
    })
    .returning();
  const id = row!.id;
  for (const step of steps) {
    const stepAt = step.createdAt ?? values.createdAt;
    await db
      .insert(onboardingSteps)
      .values({ onboardingId: id, provider: step.provider, status: step.status, externalId: step.externalId ?? null, createdAt: stepAt, updatedAt: stepAt });
  }
  await db.insert(onboardingEvents).values({ onboardingId: id, type: "status_change", data: { from: null, to: "pending" }, at: values.createdAt });
  if (verifiedAfterMs !== undefined) {
    await db.insert(onboardingEvents).values({
      onboardingId: id,
      type: "status_change",
      provider: "offblocks",
      data: { from: "challenge_issued", to: "verified", cause: "signature" },
      at: new Date(values.createdAt.getTime() + verifiedAfterMs),
    });
    // a later status change must not count as the moment of verification
    await db.insert(onboardingEvents).values({
      onboardingId: id,
      type: "status_change",
      provider: "offblocks",
      data: { from: "verified", to: "screening", cause: "follow" },
      at: new Date(values.createdAt.getTime() + verifiedAfterMs + 10 * MIN),
    });
  }
  return { id, address };
}

const query = (q: Partial<ListQuery> = {}): ListQuery => ({ limit: 50, ...q });
const ids = (items: readonly StaffOnboarding[]) => items.map((i) => i.id);

async function readAll(stream: ReadableStream<Uint8Array>): Promise<string> {
  return new Response(stream).text();
}

describe.each(testDatabaseKinds())("staff queries on %s", (kind: TestDatabaseKind) => {
  let database: Database;
  let db: Db;
  let a: Seeded, b: Seeded, c: Seeded, d: Seeded, e: Seeded, f: Seeded;

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    db = database.db;
    a = await onboarding(
      db,
      { createdAt: at(0), status: "verified", email: "Alice@Example.com" },
      [
        { provider: "offblocks", status: "active", externalId: "cust-a" },
        { provider: "unblock", status: "session_active" },
        { provider: "bloq", status: "linked" },
      ],
      60_000,
    );
    b = await onboarding(db, { createdAt: at(10 * MIN) }, [{ provider: "offblocks", status: "challenge_issued", externalId: "cust-b" }]);
    c = await onboarding(
      db,
      { createdAt: at(20 * MIN), status: "failed", email: '=HYPERLINK("http://evil","x"),@b' },
      [{ provider: "offblocks", status: "rejected", externalId: "cust-c" }],
      120_000,
    );
    d = await onboarding(
      db,
      { createdAt: at(30 * MIN) },
      [
        { provider: "offblocks", status: "verifying", externalId: "cust-d" },
        { provider: "unblock", status: "session_expired" },
      ],
      300_000,
    );
    e = await onboarding(db, { createdAt: at(40 * MIN) });
    f = await onboarding(db, { createdAt: new Date(NOW.getTime() - 10 * MIN) }, [
      { provider: "offblocks", status: "challenge_issued", externalId: "cust-f", createdAt: new Date(NOW.getTime() - 10 * MIN) },
    ]);
  });
  afterAll(async () => {
    await database?.close();
  });

  it("lists newest first with the user's view and the email", async () => {
    const page = await listOnboardings(db, query(), NOW);
    expect(ids(page.items)).toEqual([f.id, e.id, d.id, c.id, b.id, a.id]);
    expect(page.nextCursor).toBeNull();
    const alice = page.items[5]!;
    expect(alice).toMatchObject({
      address: a.address,
      status: "verified",
      email: "Alice@Example.com",
      steps: { offblocks: { status: "active", customerId: "cust-a" }, bloq: { status: "linked" } },
    });
    expect(page.items[1]!.steps.offblocks.status).toBe("not_started");
  });

  it("filters by status, provider and time range", async () => {
    expect(ids((await listOnboardings(db, query({ status: "failed" }), NOW)).items)).toEqual([c.id]);
    expect(ids((await listOnboardings(db, query({ status: "pending" }), NOW)).items)).toEqual([f.id, e.id, d.id, b.id]);
    expect(ids((await listOnboardings(db, query({ provider: "unblock" }), NOW)).items)).toEqual([d.id, a.id]);
    expect(ids((await listOnboardings(db, query({ provider: "bloq" }), NOW)).items)).toEqual([a.id]);
    expect(ids((await listOnboardings(db, query({ from: at(10 * MIN), to: at(30 * MIN) }), NOW)).items)).toEqual([c.id, b.id]);
    expect(ids((await listOnboardings(db, query({ status: "pending", provider: "offblocks", to: at(35 * MIN) }), NOW)).items)).toEqual([d.id, b.id]);
    // stuck: b's challenge was issued a day ago; f's is 10 minutes old
    expect(ids((await listOnboardings(db, parseListQuery(new URLSearchParams("stuck=true")), NOW)).items)).toEqual([b.id]);
    expect(ids((await listOnboardings(db, parseListQuery(new URLSearchParams("stuck=false")), NOW)).items)).toHaveLength(6);
  });

  it("searches by address, OffBlocks customer id or email, case-insensitively for address and email", async () => {
    expect(ids((await listOnboardings(db, query({ q: a.address.toLowerCase() }), NOW)).items)).toEqual([a.id]);
    expect(ids((await listOnboardings(db, query({ q: b.address.toUpperCase().replace("0X", "0x") }), NOW)).items)).toEqual([b.id]);
    expect(ids((await listOnboardings(db, query({ q: "cust-d" }), NOW)).items)).toEqual([d.id]);
    expect(ids((await listOnboardings(db, query({ q: "alice@example.COM" }), NOW)).items)).toEqual([a.id]);
    expect((await listOnboardings(db, query({ q: "nobody@example.com" }), NOW)).items).toEqual([]);
    expect((await listOnboardings(db, query({ q: "cust-a", status: "pending" }), NOW)).items).toEqual([]);
  });

  it("the detail has the full timeline, oldest first; an unknown or malformed id is 404", async () => {
    const detail = await onboardingDetail(db, a.id.toUpperCase(), NOW);
    expect(detail.id).toBe(a.id);
    expect(detail.email).toBe("Alice@Example.com");
    expect(detail.events.map((ev) => ev.data.to)).toEqual(["pending", "verified", "screening"]);
    expect(detail.events.map((ev) => ev.id)).toEqual([...detail.events.map((ev) => ev.id)].sort((x, y) => x - y));
    expect(detail.events[1]).toMatchObject({ type: "status_change", provider: "offblocks", onboardingId: a.id, at: at(60_000).toISOString() });
    for (const id of ["00000000-0000-4000-8000-000000000000", "not-a-uuid", "' or 1=1 --"]) {
      await expect(onboardingDetail(db, id, NOW)).rejects.toMatchObject({ code: "onboarding_not_found", status: 404 });
    }
  });

  it("computes the metrics of a known data set", async () => {
    const metrics = await staffMetrics(db, {}, NOW);
    expect(metrics.funnel).toEqual({ started: 6, signedIn: 5, offblocksVerified: 3, active: 1, unblockSession: 2, bloqLinked: 1 });
    expect(metrics.byStatus).toEqual({ pending: 4, verified: 1, failed: 1 });
    expect(metrics.stuck).toBe(1); // b: challenge issued a day ago; f's is 10 minutes old
    expect(metrics.timeToOffblocksVerified.count).toBe(3);
    expect(metrics.timeToOffblocksVerified.median).toBeCloseTo(120, 6); // 60, 120, 300 s
    expect(metrics.timeToOffblocksVerified.p90).toBeCloseTo(264, 6); // 120 + 0.8 × 180
    expect(metrics.series).toEqual([{ day: "2026-01-01", started: 6, offblocksVerified: 3 }]);
    const ranged = await staffMetrics(db, { from: at(15 * MIN), to: at(60 * MIN) }, NOW);
    expect(ranged.funnel).toEqual({ started: 3, signedIn: 2, offblocksVerified: 2, active: 0, unblockSession: 1, bloqLinked: 0 });
    expect(ranged.timeToOffblocksVerified).toEqual({ median: 210, p90: 282, count: 2 });
    expect(ranged.from).toBe(at(15 * MIN).toISOString());
    expect(ranged.series).toEqual([{ day: "2026-01-01", started: 3, offblocksVerified: 2 }]);
    const empty = await staffMetrics(db, { from: at(-2 * 3600_000), to: at(-3600_000) }, NOW);
    expect(empty.funnel.started).toBe(0);
    expect(empty.timeToOffblocksVerified).toEqual({ median: null, p90: null, count: 0 });
    expect(empty.series).toEqual([]);
  });

  it("exports the filtered list as CSV with formula-looking cells neutralised", async () => {
    const text = await readAll(await onboardingsCsv(db, { status: "failed" }));
    const lines = text.split("\r\n");
    expect(lines[0]).toBe("id,address,chain_id,status,email,offblocks_status,offblocks_customer_id,unblock_status,bloq_status,created_at,updated_at");
    expect(lines[1]).toBe(
      `${c.id},${c.address},300,failed,"'=HYPERLINK(""http://evil"",""x""),@b",rejected,cust-c,not_started,not_started,${at(20 * MIN).toISOString()},${at(20 * MIN).toISOString()}`,
    );
    expect(lines[2]).toBe("");
    expect(lines).toHaveLength(3);
    const all = (await readAll(await onboardingsCsv(db, {}, 2))).trimEnd().split("\r\n");
    expect(all).toHaveLength(7);
  });
});

describe.each(testDatabaseKinds())("keyset pagination on %s", (kind: TestDatabaseKind) => {
  let database: Database;
  let db: Db;

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    db = database.db;
  });
  afterAll(async () => {
    await database?.close();
  });

  it("walks every row exactly once across equal timestamps and sub-millisecond ones", async () => {
    for (let i = 0; i < 23; i++) await onboarding(db, { createdAt: at(0) });
    for (let i = 0; i < 5; i++) await onboarding(db, { createdAt: at(MIN) });
    // microseconds apart inside one millisecond: a cursor holding only milliseconds would skip or repeat these
    for (const micros of ["000100", "000200", "000300", "000300"]) {
      await db.execute(
        sql`insert into onboardings (address, chain_id, created_at, updated_at) values (${newAddress()}, 300, ${`2026-01-01T00:00:30.${micros}Z`}::timestamptz, now())`,
      );
    }
    const expected = (await db.execute(sql`select id from onboardings order by created_at desc, id desc`)) as unknown as { rows: { id: string }[] };
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const params = new URLSearchParams({ limit: "4" });
      if (cursor) params.set("cursor", cursor);
      const page = await listOnboardings(db, parseListQuery(params), NOW);
      expect(page.items.length).toBeLessThanOrEqual(4);
      seen.push(...ids(page.items));
      cursor = page.nextCursor;
      pages++;
    } while (cursor);
    expect(seen).toEqual(expected.rows.map((r) => r.id));
    expect(new Set(seen).size).toBe(32);
    expect(pages).toBe(8);
    const streamed: string[] = [];
    for await (const item of allOnboardings(db, {}, 3, NOW)) streamed.push(item.id);
    expect(streamed).toEqual(seen);
  });

  it("a cursor carries the exact timestamp and id", async () => {
    const page = await listOnboardings(db, parseListQuery(new URLSearchParams({ limit: "1" })), NOW);
    const cursor = decodeCursor(page.nextCursor!);
    expect(cursor.createdAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/);
    expect(cursor.id).toBe(page.items[0]!.id);
  });
});

describe.each(testDatabaseKinds())("the staff table on %s", (kind: TestDatabaseKind) => {
  let database: Database;

  beforeAll(async () => {
    database = await openTestDatabase(kind);
  });
  afterAll(async () => {
    await database?.close();
  });

  it("adds, lists, checks and removes staff wallets, case-insensitively", async () => {
    const { db } = database;
    const one = newAddress();
    const configured = newAddress();
    expect(await isStaffWallet(db, one, [configured])).toBe(false);
    expect(await isStaffWallet(db, configured.toLowerCase() as `0x${string}`, [configured])).toBe(true);
    expect(await addStaff(db, one.toLowerCase() as `0x${string}`, T0)).toBe(true);
    expect(await addStaff(db, one)).toBe(false);
    expect(await listStaff(db)).toEqual([{ address: one, addedAt: T0 }]);
    expect(await isStaffWallet(db, one, [])).toBe(true);
    expect(await removeStaff(db, one)).toBe(true);
    expect(await removeStaff(db, one)).toBe(false);
    expect(await isStaffWallet(db, one, [])).toBe(false);
  });
});
