/**
 * The staff metrics (GET /api/staff/metrics): the funnel, counts by status, time to OffBlocks verified, the
 * stuck count and a per-day series, for the onboardings created in [from, to).
 *
 * They come from a rollup that the database keeps exact with triggers on the onboarding tables (migration
 * 0006, 0011): staff_metrics_hourly holds the counters per UTC hour of onboarding creation (in slots, summed), staff_metrics_ttv the
 * histogram of the time to verified per UTC day. The whole hours (days) of the range are read from it, the
 * partial hour (day) at each edge is counted live from the base tables through created_at indexes — at most
 * an hour of onboardings for the counters (a primary-key lookup per step) and a day for the histogram (an
 * index-only scan) — so the cost grows with the length of the range, hardly with the number of onboardings.
 * - Time to verified: the histogram (5 %-wide log buckets) gives the count and the bucket that holds each
 *   rank the percentile needs; the exact value is then read inside that bucket, an index-only scan of
 *   onboardings_verified_seconds_idx. The median and p90 are exactly percentile_cont's.
 * - Stuck (a challenge issued over an hour before `at`): the rollup counts the challenges issued; those
 *   issued within the last hour are subtracted (a partial index keeps them few to find).
 * All reads run in one read-only repeatable-read transaction, so they see one snapshot.
 */
import { sql, type SQL } from "drizzle-orm";
import type { Db } from "../db/client";
import type { OnboardingStatus } from "../onboarding/types";
import type { TimeRange } from "./filters";
import { liveCounterColumns } from "./live-counters-sql";

/** A challenge awaiting a signature longer than this makes the onboarding stuck. */
export const STUCK_AFTER_MS = 3600_000;

export interface StaffMetricsDay {
  /** YYYY-MM-DD, the UTC day the onboardings were created */
  day: string;
  started: number;
  /** of those, the ones whose OffBlocks step is verified or beyond (as funnel.offblocksVerified) */
  offblocksVerified: number;
}

export interface StaffMetrics {
  from: string | null;
  to: string | null;
  funnel: {
    /** onboardings created */
    started: number;
    /** signed in at OffBlocks' side: the customer exists and its challenge was issued */
    signedIn: number;
    /** OffBlocks accepted the wallet's signature */
    offblocksVerified: number;
    /** the OffBlocks customer is active */
    active: number;
    /** an Unblock session was opened (live or since expired) */
    unblockSession: number;
    /** Bloq linked */
    bloqLinked: number;
  };
  byStatus: Record<OnboardingStatus, number>;
  /** seconds from the onboarding's start to OffBlocks verified; null when none was verified */
  timeToOffblocksVerified: { median: number | null; p90: number | null; count: number };
  /** OffBlocks challenges awaiting a signature for over an hour */
  stuck: number;
  /** per UTC day of creation within the range, ascending; days without onboardings are left out */
  series: StaffMetricsDay[];
}

interface Rows {
  rows: Record<string, unknown>[];
}

type Tx = Pick<Db, "execute">;

export const HOUR_MS = 3600_000;
export const DAY_MS = 24 * HOUR_MS;
const COUNTERS = [
  "started",
  "signed_in",
  "offblocks_verified",
  "active",
  "challenge_issued",
  "unblock_session",
  "bloq_linked",
  "pending",
  "verified",
  "failed",
] as const;
type Counter = (typeof COUNTERS)[number];
type Counts = Record<Counter, number>;

const num = (value: unknown): number => Number(value ?? 0);
const dayOf = (date: Date) => date.toISOString().slice(0, 10);
const ts = (date: Date) => sql`${date.toISOString()}::timestamptz`;

/** Which part of the range is read from the rollup (whole units: hours or days) and which is counted live. */
export interface MetricsPlan {
  /** [from, to) intervals shorter than a unit, counted from the base tables */
  live: [Date, Date][];
  /** the whole units [from, to) read from the rollup (null bound: unbounded); null when none */
  whole: { from: Date | null; to: Date | null } | null;
}

/** Splits the range into whole UTC hours or days (`unitMs`) and the partial units at its edges. */
export function metricsPlan(range: TimeRange, unitMs: number): MetricsPlan {
  const { from, to } = range;
  if (from && to && from >= to) return { live: [], whole: null };
  const first = from ? new Date(Math.ceil(from.getTime() / unitMs) * unitMs) : null;
  const end = to ? new Date(Math.floor(to.getTime() / unitMs) * unitMs) : null;
  if (from && to && first && end && first >= end) return { live: [[from, to]], whole: null };
  const live: [Date, Date][] = [];
  if (from && first && from < first) live.push([from, first]);
  if (to && end && end < to) live.push([end, to]);
  return { live, whole: { from: first, to: end } };
}

function rangeSql(range: TimeRange): SQL {
  const parts: SQL[] = [sql`true`];
  if (range.from) parts.push(sql`o.created_at >= ${ts(range.from)}`);
  if (range.to) parts.push(sql`o.created_at < ${ts(range.to)}`);
  return sql.join(parts, sql` and `);
}

function liveSql(live: readonly [Date, Date][]): SQL {
  return sql.join(
    live.map(([a, b]) => sql`(o.created_at >= ${ts(a)} and o.created_at < ${ts(b)})`),
    sql` or `,
  );
}

/** `column` (a UTC timestamp or date) within the whole units of the plan. */
function wholeSql(column: "hour" | "day", whole: NonNullable<MetricsPlan["whole"]>): SQL {
  const at = (date: Date) => (column === "hour" ? sql`(${ts(date)} at time zone 'UTC')` : sql`${dayOf(date)}::date`);
  const parts: SQL[] = [sql`true`];
  if (whole.from) parts.push(sql`${sql.raw(column)} >= ${at(whole.from)}`);
  if (whole.to) parts.push(sql`${sql.raw(column)} < ${at(whole.to)}`);
  return sql.join(parts, sql` and `);
}

async function rows(tx: Tx, query: SQL): Promise<Record<string, unknown>[]> {
  return ((await tx.execute(query)) as unknown as Rows).rows;
}

/** The counters per day: whole hours from the rollup, the partial hours at the edges counted live (same definitions). */
async function dailyCounts(tx: Tx, plan: MetricsPlan): Promise<Map<string, Counts>> {
  const found: Record<string, unknown>[] = [];
  if (plan.whole) {
    found.push(
      ...(await rows(
        tx,
        sql`select to_char(hour, 'YYYY-MM-DD') as day, ${sql.raw(COUNTERS.map((c) => `sum(${c})::int as ${c}`).join(", "))}
            from staff_metrics_hourly where ${wholeSql("hour", plan.whole)} group by 1`,
      )),
    );
  }
  if (plan.live.length > 0) {
    found.push(
      ...(await rows(
        tx,
        sql`
        select to_char(o.created_at at time zone 'UTC', 'YYYY-MM-DD') as day,
          ${liveCounterColumns({ onboarding: "o.status", offblocks: "o.ob", unblock: "o.ub", bloq: "o.bq" })}
        from (
          -- one primary-key lookup per step: a join would let the planner hash all of onboarding_steps
          select o.created_at, o.status,
            (select s.status from onboarding_steps s where s.onboarding_id = o.id and s.provider = 'offblocks') as ob,
            (select s.status from onboarding_steps s where s.onboarding_id = o.id and s.provider = 'unblock') as ub,
            (select s.status from onboarding_steps s where s.onboarding_id = o.id and s.provider = 'bloq') as bq
          from onboardings o
          where ${liveSql(plan.live)}
        ) o
        group by 1`,
      )),
    );
  }
  const byDay = new Map<string, Counts>();
  for (const row of found) {
    const day = String(row.day);
    const counts = byDay.get(day) ?? (Object.fromEntries(COUNTERS.map((c) => [c, 0])) as Counts);
    for (const c of COUNTERS) counts[c] += num(row[c]);
    byDay.set(day, counts);
  }
  return byDay;
}

/** The time-to-verified histogram of the range (whole days from the rollup, partial days live): [bucket, count], ascending. */
async function ttvHistogram(tx: Tx, plan: MetricsPlan): Promise<[number, number][]> {
  const buckets = new Map<number, number>();
  const add = (list: Record<string, unknown>[]) => {
    for (const row of list) buckets.set(num(row.bucket), (buckets.get(num(row.bucket)) ?? 0) + num(row.n));
  };
  if (plan.whole) add(await rows(tx, sql`select bucket, sum(count)::int as n from staff_metrics_ttv where ${wholeSql("day", plan.whole)} group by bucket`));
  if (plan.live.length > 0) {
    add(
      await rows(
        tx,
        // one index-only scan per interval (an OR of them would be a bitmap scan, which reads the heap)
        sql`select staff_ttv_bucket(t.s) as bucket, count(*)::int as n from (${sql.join(
          plan.live.map(
            ([a, b]) => sql`select o.offblocks_verified_seconds as s from onboardings o
              where o.offblocks_verified_seconds is not null and o.created_at >= ${ts(a)} and o.created_at < ${ts(b)}`,
          ),
          sql` union all `,
        )}) t group by 1`,
      ),
    );
  }
  return [...buckets.entries()].filter(([, n]) => n > 0).sort((a, b) => a[0] - b[0]);
}

/** staff_ttv_bucket's bounds, widened a little: the query also filters on the bucket itself. */
function bucketBounds(bucket: number): [number, number] {
  if (bucket <= 0) return [Number.NEGATIVE_INFINITY, 1.001];
  return [1.05 ** (bucket - 1) * 0.999, 1.05 ** bucket * 1.001];
}

const float = (n: number) => (Number.isFinite(n) ? sql`${n}::float8` : sql`${n > 0 ? "infinity" : "-infinity"}::float8`);

/** The value of 0-based rank `rank` in ascending order of time to verified, or null if the rollup disagrees. */
async function valueAtRank(tx: Tx, range: TimeRange, histogram: readonly [number, number][], rank: number): Promise<number | null> {
  let before = 0;
  for (const [bucket, n] of histogram) {
    if (rank < before + n) {
      const [lo, hi] = bucketBounds(bucket);
      const [row] = await rows(
        tx,
        sql`select o.offblocks_verified_seconds as s from onboardings o
            where o.offblocks_verified_seconds >= ${float(lo)} and o.offblocks_verified_seconds < ${float(hi)}
              and staff_ttv_bucket(o.offblocks_verified_seconds) = ${bucket}::int and ${rangeSql(range)}
            order by o.offblocks_verified_seconds offset ${rank - before} limit 1`,
      );
      return row ? Number(row.s) : null;
    }
    before += n;
  }
  return null;
}

/** percentile_cont(p) over the range, computed as Postgres does (linear between the two nearest ranks). */
async function percentile(tx: Tx, range: TimeRange, histogram: readonly [number, number][], count: number, p: number): Promise<number | null> {
  const position = p * (count - 1);
  const first = Math.floor(position);
  const second = Math.ceil(position);
  const a = await valueAtRank(tx, range, histogram, first);
  const b = first === second ? a : await valueAtRank(tx, range, histogram, second);
  if (a === null || b === null) return null;
  return first === second ? a : a + (b - a) * (position - first);
}

/** The exact percentiles counted from the base table: only if the rollup ever disagreed with it. */
async function livePercentiles(tx: Tx, range: TimeRange): Promise<{ median: number | null; p90: number | null }> {
  const [row] = await rows(
    tx,
    sql`select percentile_cont(0.5) within group (order by o.offblocks_verified_seconds) as median,
          percentile_cont(0.9) within group (order by o.offblocks_verified_seconds) as p90
        from onboardings o where o.offblocks_verified_seconds is not null and ${rangeSql(range)}`,
  );
  const maybe = (v: unknown) => (v === null || v === undefined ? null : Number(v));
  return { median: maybe(row?.median), p90: maybe(row?.p90) };
}

/** The funnel, counts by status, time to OffBlocks verified, the stuck count and the daily series, for onboardings started in the range. */
export async function staffMetrics(db: Db, range: TimeRange, at: Date = new Date()): Promise<StaffMetrics> {
  return db.transaction(
    async (tx) => {
      const byDay = await dailyCounts(tx, metricsPlan(range, HOUR_MS));
      const total = Object.fromEntries(COUNTERS.map((c) => [c, 0])) as Counts;
      for (const counts of byDay.values()) for (const c of COUNTERS) total[c] += counts[c];

      let stuck = total.challenge_issued;
      if (stuck > 0) {
        const stuckBefore = new Date(at.getTime() - STUCK_AFTER_MS);
        const [recent] = await rows(
          tx,
          sql`select count(*)::int as n from onboarding_steps s join onboardings o on o.id = s.onboarding_id
              where s.provider = 'offblocks' and s.status = 'challenge_issued' and s.created_at >= ${ts(stuckBefore)} and ${rangeSql(range)}`,
        );
        stuck -= num(recent?.n);
      }

      const histogram = await ttvHistogram(tx, metricsPlan(range, DAY_MS));
      const count = histogram.reduce((sum, [, n]) => sum + n, 0);
      let median: number | null = null;
      let p90: number | null = null;
      if (count > 0) {
        median = await percentile(tx, range, histogram, count, 0.5);
        p90 = await percentile(tx, range, histogram, count, 0.9);
        if (median === null || p90 === null) ({ median, p90 } = await livePercentiles(tx, range));
      }

      const series = [...byDay.entries()]
        .filter(([, c]) => c.started > 0)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([day, c]) => ({ day, started: c.started, offblocksVerified: c.offblocks_verified }));
      return {
        from: range.from?.toISOString() ?? null,
        to: range.to?.toISOString() ?? null,
        funnel: {
          started: total.started,
          signedIn: total.signed_in,
          offblocksVerified: total.offblocks_verified,
          active: total.active,
          unblockSession: total.unblock_session,
          bloqLinked: total.bloq_linked,
        },
        byStatus: { pending: total.pending, verified: total.verified, failed: total.failed },
        timeToOffblocksVerified: { median, p90, count },
        stuck,
        series,
      };
    },
    { isolationLevel: "repeatable read", accessMode: "read only" },
  );
}
