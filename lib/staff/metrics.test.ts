/**
 * The staff metrics' rollup (migrations 0006, 0011) on a real database (PGlite, and Postgres when TEST_DATABASE_URL
 * is set): after the seed and after arbitrary writes (updates, deletes, days moved, events removed) it
 * equals a live recount, and staffMetrics answers exactly what counting the base tables answers, for ranges
 * with partial edge days, whole days, one day, and none.
 */
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resetOnboardings, seedOnboardings } from "../../scripts/seed/generate";
import type { Database, Db } from "../db/client";
import { onboardingEvents, onboardings, onboardingSteps } from "../db/schema";
import { openTestDatabase, testDatabaseKinds, type TestDatabaseKind } from "../db/test-databases";
import type { TimeRange } from "./filters";
import { OFFBLOCKS_VERIFIED_STATUSES } from "./live-counters-sql";
import { DAY_MS, HOUR_MS, metricsPlan, staffMetrics, STUCK_AFTER_MS, type StaffMetrics } from "./metrics";
import { rollupDifferences } from "./metrics-recount";

interface Rows {
  rows: Record<string, unknown>[];
}

const verifiedList = sql.raw(OFFBLOCKS_VERIFIED_STATUSES.map((s) => `'${s}'`).join(", "));

/** The metrics counted straight from the base tables (the definition, as before the rollup). */
async function reference(db: Db, range: TimeRange, at: Date): Promise<Omit<StaffMetrics, "from" | "to">> {
  const parts = [sql`true`];
  if (range.from) parts.push(sql`o.created_at >= ${range.from.toISOString()}::timestamptz`);
  if (range.to) parts.push(sql`o.created_at < ${range.to.toISOString()}::timestamptz`);
  const where = sql.join(parts, sql` and `);
  const stuckBefore = new Date(at.getTime() - STUCK_AFTER_MS).toISOString();
  const days = (await db.execute(sql`
    select to_char(o.created_at at time zone 'UTC', 'YYYY-MM-DD') as day, count(*)::int as started,
      count(*) filter (where ob.status is not null and ob.status <> 'not_started')::int as signed_in,
      count(*) filter (where ob.status in (${verifiedList}))::int as offblocks_verified,
      count(*) filter (where ob.status = 'active')::int as active,
      count(*) filter (where ub.status in ('session_active', 'session_expired'))::int as unblock_session,
      count(*) filter (where bq.status = 'linked')::int as bloq_linked,
      count(*) filter (where o.status = 'pending')::int as pending,
      count(*) filter (where o.status = 'verified')::int as verified,
      count(*) filter (where o.status = 'failed')::int as failed,
      count(*) filter (where ob.status = 'challenge_issued' and ob.created_at < ${stuckBefore}::timestamptz)::int as stuck
    from onboardings o
    left join onboarding_steps ob on ob.onboarding_id = o.id and ob.provider = 'offblocks'
    left join onboarding_steps ub on ub.onboarding_id = o.id and ub.provider = 'unblock'
    left join onboarding_steps bq on bq.onboarding_id = o.id and bq.provider = 'bloq'
    where ${where}
    group by 1 order by 1`)) as unknown as Rows;
  const durations = (await db.execute(sql`
    select percentile_cont(0.5) within group (order by seconds) as median, percentile_cont(0.9) within group (order by seconds) as p90,
      count(*)::int as count
    from (
      select extract(epoch from (min(e.at) - o.created_at))::float8 as seconds
      from onboardings o
      join onboarding_events e on e.onboarding_id = o.id and e.type = 'status_change' and e.provider = 'offblocks' and e.data->>'to' in (${verifiedList})
      where ${where}
      group by o.id, o.created_at
    ) t`)) as unknown as Rows;
  const sum = (key: string) => days.rows.reduce((s, r) => s + Number(r[key]), 0);
  const d = durations.rows[0]!;
  return {
    funnel: {
      started: sum("started"),
      signedIn: sum("signed_in"),
      offblocksVerified: sum("offblocks_verified"),
      active: sum("active"),
      unblockSession: sum("unblock_session"),
      bloqLinked: sum("bloq_linked"),
    },
    byStatus: { pending: sum("pending"), verified: sum("verified"), failed: sum("failed") },
    timeToOffblocksVerified: {
      median: d.median === null ? null : Number(d.median),
      p90: d.p90 === null ? null : Number(d.p90),
      count: Number(d.count),
    },
    stuck: sum("stuck"),
    series: days.rows.map((r) => ({ day: String(r.day), started: Number(r.started), offblocksVerified: Number(r.offblocks_verified) })),
  };
}

async function expectExact(db: Db, range: TimeRange, at: Date): Promise<StaffMetrics> {
  const metrics = await staffMetrics(db, range, at);
  const expected = await reference(db, range, at);
  const { timeToOffblocksVerified: ttv, ...rest } = metrics;
  const { timeToOffblocksVerified: expectedTtv, ...expectedRest } = expected;
  expect({ ...rest, from: undefined, to: undefined }).toEqual({ ...expectedRest, from: undefined, to: undefined });
  expect(ttv.count).toBe(expectedTtv.count);
  for (const key of ["median", "p90"] as const) {
    if (expectedTtv[key] === null) expect(ttv[key]).toBeNull();
    else expect(ttv[key]).toBeCloseTo(expectedTtv[key]!, 6);
  }
  return metrics;
}

const DAY = DAY_MS;
const HOUR = HOUR_MS;

/** Ranges of every shape around `now`: partial edges, whole days, one partial day, empty, unbounded. */
function ranges(now: Date): TimeRange[] {
  const midnight = new Date(Math.floor(now.getTime() / DAY) * DAY);
  return [
    {},
    { from: new Date(now.getTime() - 30 * DAY) },
    { to: new Date(now.getTime() - 45 * DAY - 5 * HOUR) },
    { from: new Date(now.getTime() - 60 * DAY - 7 * HOUR), to: new Date(now.getTime() - 20 * DAY + 3 * HOUR) },
    { from: new Date(midnight.getTime() - 10 * DAY), to: new Date(midnight.getTime() - 3 * DAY) },
    { from: new Date(midnight.getTime() - 10 * DAY + 2 * HOUR), to: new Date(midnight.getTime() - 10 * DAY + 9 * HOUR) },
    { from: new Date(midnight.getTime() - 10 * DAY + 20 * HOUR), to: new Date(midnight.getTime() - 9 * DAY + 4 * HOUR) },
    { from: new Date(now.getTime() - 2 * HOUR) },
    { from: new Date(midnight.getTime() - 4 * DAY + 90 * 60_000 + 7), to: new Date(midnight.getTime() - 4 * DAY + 150 * 60_000 + 1) },
    { from: new Date(midnight.getTime() - 4 * DAY + 10 * 60_000), to: new Date(midnight.getTime() - 4 * DAY + 50 * 60_000) },
    { from: new Date(now.getTime() - 5 * DAY), to: new Date(now.getTime() - 6 * DAY) },
    { from: new Date(now.getTime() + DAY) },
  ];
}

describe("metricsPlan", () => {
  const t = (s: string) => new Date(s);
  it("reads whole UTC days (or hours) from the rollup and counts the partial edges live", () => {
    expect(metricsPlan({}, DAY_MS)).toEqual({ live: [], whole: { from: null, to: null } });
    expect(metricsPlan({ from: t("2026-01-03T05:00:00Z"), to: t("2026-01-07T00:00:00Z") }, DAY_MS)).toEqual({
      live: [[t("2026-01-03T05:00:00Z"), t("2026-01-04T00:00:00Z")]],
      whole: { from: t("2026-01-04T00:00:00Z"), to: t("2026-01-07T00:00:00Z") },
    });
    expect(metricsPlan({ from: t("2026-01-03T00:00:00Z"), to: t("2026-01-07T10:00:00Z") }, DAY_MS)).toEqual({
      live: [[t("2026-01-07T00:00:00Z"), t("2026-01-07T10:00:00Z")]],
      whole: { from: t("2026-01-03T00:00:00Z"), to: t("2026-01-07T00:00:00Z") },
    });
    expect(metricsPlan({ from: t("2026-01-03T05:00:00Z"), to: t("2026-01-03T10:00:00Z") }, DAY_MS)).toEqual({
      live: [[t("2026-01-03T05:00:00Z"), t("2026-01-03T10:00:00Z")]],
      whole: null,
    });
    expect(metricsPlan({ from: t("2026-01-03T05:00:00Z"), to: t("2026-01-04T10:00:00Z") }, DAY_MS)).toEqual({
      live: [[t("2026-01-03T05:00:00Z"), t("2026-01-04T10:00:00Z")]],
      whole: null,
    });
    expect(metricsPlan({ from: t("2026-01-04T00:00:00Z"), to: t("2026-01-03T00:00:00Z") }, DAY_MS)).toEqual({ live: [], whole: null });
    expect(metricsPlan({ from: t("2026-01-03T05:20:00Z") }, HOUR_MS)).toEqual({
      live: [[t("2026-01-03T05:20:00Z"), t("2026-01-03T06:00:00Z")]],
      whole: { from: t("2026-01-03T06:00:00Z"), to: null },
    });
  });
});

describe.each(testDatabaseKinds())("staff metrics rollup on %s", (kind: TestDatabaseKind) => {
  let database: Database;
  let db: Db;
  const now = new Date();

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    db = database.db;
    await seedOnboardings(db, { count: 3000, batchSize: 1100 });
  });
  afterAll(async () => {
    await database?.close();
  });

  it("equals a live recount after the seed, and the metrics are exact for every range shape", async () => {
    expect(await rollupDifferences(db)).toEqual([]);
    const all = await expectExact(db, {}, now);
    expect(all.funnel.started).toBe(3000);
    expect(all.stuck).toBeGreaterThan(0);
    expect(all.series.length).toBeGreaterThan(80);
    expect(all.series.map((d) => d.day)).toEqual([...all.series.map((d) => d.day)].sort());
    expect(all.series.reduce((s, d) => s + d.started, 0)).toBe(3000);
    for (const range of ranges(now)) await expectExact(db, range, now);
    // `at` in the past: more of the challenges are within the hour before it
    await expectExact(db, { from: new Date(now.getTime() - 20 * DAY) }, new Date(now.getTime() - 10 * DAY));
  });

  it("stays equal after direct updates and deletes: statuses, days moved, steps and events removed, onboardings deleted", async () => {
    const pick = (await db.execute(sql`select id from onboardings order by id limit 40`)) as unknown as { rows: { id: string }[] };
    const id = (i: number) => pick.rows[i]!.id;
    await db
      .update(onboardingSteps)
      .set({ status: "active" })
      .where(sql`${onboardingSteps.onboardingId} in (${id(0)}::uuid, ${id(1)}::uuid)`);
    await db
      .update(onboardings)
      .set({ status: "verified" })
      .where(eq(onboardings.id, id(0)));
    await db
      .update(onboardings)
      .set({ createdAt: new Date(now.getTime() - 3 * DAY - 5 * HOUR) })
      .where(eq(onboardings.id, id(2)));
    await db
      .update(onboardings)
      .set({ createdAt: new Date(now.getTime() - 40 * DAY) })
      .where(eq(onboardings.id, id(3)));
    await db.delete(onboardingSteps).where(eq(onboardingSteps.onboardingId, id(4)));
    await db.delete(onboardings).where(sql`${onboardings.id} in (${id(5)}::uuid, ${id(6)}::uuid, ${id(7)}::uuid)`);
    await db.delete(onboardingEvents).where(eq(onboardingEvents.onboardingId, id(8)));
    await db
      .insert(onboardingSteps)
      .values({ onboardingId: id(4), provider: "offblocks", status: "challenge_issued", createdAt: new Date(now.getTime() - 10 * 60_000) });
    await db
      .insert(onboardingSteps)
      .values({ onboardingId: id(9), provider: "bloq", status: "linked" })
      .onConflictDoUpdate({
        target: [onboardingSteps.onboardingId, onboardingSteps.provider],
        set: { status: "linked" },
      });
    // an earlier verification moves the time to verified; a later one does not
    for (const [i, offset] of [
      [10, 3],
      [11, 7 * DAY],
    ] as const) {
      const [row] = await db
        .select()
        .from(onboardings)
        .where(eq(onboardings.id, id(i)));
      await db.insert(onboardingEvents).values({
        onboardingId: id(i),
        type: "status_change",
        provider: "offblocks",
        data: { from: "challenge_issued", to: "verified", cause: "test" },
        at: new Date(row!.createdAt.getTime() + offset * 1000),
      });
    }
    // an event moved to another onboarding, and one that stops being a verification
    await db.execute(sql`update onboarding_events set onboarding_id = ${id(13)}::uuid
      where id = (select min(id) from onboarding_events where onboarding_id = ${id(12)}::uuid and provider = 'offblocks' and data->>'to' = 'verified')`);
    await db.execute(sql`update onboarding_events set data = jsonb_set(data, '{to}', '"challenge_issued"')
      where onboarding_id = ${id(14)}::uuid and provider = 'offblocks' and data->>'to' in (${verifiedList})`);
    expect(await rollupDifferences(db)).toEqual([]);
    for (const range of ranges(now)) await expectExact(db, range, now);
  });

  it("spreads one hour's writers over its slots (no single row every writer waits for), and still sums exactly", async () => {
    const hour = new Date(Math.floor(now.getTime() / HOUR_MS) * HOUR_MS - 50 * DAY);
    const rows = Array.from({ length: 64 }, (_, i) => ({
      address: `0x${(0xabc000 + i).toString(16).padStart(40, "0")}`,
      chainId: 300,
      status: "pending",
      createdAt: new Date(hour.getTime() + i * 1000),
      updatedAt: new Date(hour.getTime() + i * 1000),
    }));
    const hourRow = async () =>
      (
        (await db.execute(
          sql`select count(*)::int as slots, coalesce(sum(started), 0)::int as started, coalesce(sum(challenge_issued), 0)::int as issued
            from staff_metrics_hourly where hour = ${hour.toISOString().slice(0, 19).replace("T", " ")}::timestamp`,
        )) as unknown as Rows
      ).rows[0]!;
    const before = await hourRow();
    const inserted = await db.insert(onboardings).values(rows).returning({ id: onboardings.id });
    await db.insert(onboardingSteps).values(inserted.map(({ id }) => ({ onboardingId: id, provider: "offblocks", status: "challenge_issued" })));
    const after = await hourRow();
    expect(Number(after.started) - Number(before.started)).toBe(64);
    expect(Number(after.issued) - Number(before.issued)).toBe(64);
    expect(Number(after.slots)).toBeGreaterThanOrEqual(8);
    expect(await rollupDifferences(db)).toEqual([]);
  });

  it("an update writes only the rollup rows whose counts it changes: a status change leaves the day's histogram row alone", async () => {
    const [verified] = (
      (await db.execute(
        sql`select id from onboardings where offblocks_verified_seconds is not null and status = 'verified' order by id limit 1`,
      )) as unknown as {
        rows: { id: string }[];
      }
    ).rows;
    const ttvRow = async () =>
      (
        (await db.execute(sql`select t.xmin::text as version, t.count from staff_metrics_ttv t, onboardings o
          where o.id = ${verified!.id}::uuid and t.day = staff_metrics_day(o.created_at) and t.bucket = staff_ttv_bucket(o.offblocks_verified_seconds)`)) as unknown as Rows
      ).rows[0]!;
    const before = await ttvRow();
    await db.update(onboardings).set({ status: "failed" }).where(eq(onboardings.id, verified!.id));
    expect(await ttvRow()).toEqual(before);
    expect(await rollupDifferences(db)).toEqual([]);
  });

  it("an appended seed keeps it equal, and a reset empties it", async () => {
    await seedOnboardings(db, { count: 500, start: 10_001, batchSize: 500 });
    expect(await rollupDifferences(db)).toEqual([]);
    await expectExact(db, { from: new Date(now.getTime() - 30 * DAY) }, now);
    await resetOnboardings(db);
    expect(await rollupDifferences(db)).toEqual([]);
    const rows = (await db.execute(
      sql`select (select count(*) from staff_metrics_hourly)::int as d, (select count(*) from staff_metrics_ttv)::int as t`,
    )) as unknown as Rows;
    expect(rows.rows[0]).toEqual({ d: 0, t: 0 });
    const empty = await staffMetrics(db, {}, now);
    expect(empty).toMatchObject({ funnel: { started: 0 }, stuck: 0, series: [], timeToOffblocksVerified: { median: null, p90: null, count: 0 } });
  });
});
