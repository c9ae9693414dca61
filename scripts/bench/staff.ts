/**
 * The staff queries under load: each query of lib/staff/queries.ts run warm, N times, at each size.
 */
import { sql } from "drizzle-orm";
import type { Db } from "../../lib/db/client";
import { staffMetrics } from "../../lib/staff/metrics";
import { listOnboardings } from "../../lib/staff/queries";
import type { ListQuery } from "../../lib/staff/filters";

export interface BenchQuery {
  name: string;
  kind: "list" | "metrics";
  run: () => Promise<unknown>;
}

export interface Timing {
  name: string;
  kind: "list" | "metrics";
  p50: number;
  p95: number;
  runs: number;
}

interface Rows {
  rows: Record<string, unknown>[];
}

async function one(db: Db, query: ReturnType<typeof sql>): Promise<Record<string, unknown>> {
  const result = (await db.execute(query)) as unknown as Rows;
  const row = result.rows[0];
  if (!row) throw new Error("the seeded database has no onboardings");
  return row;
}

/** The queries to time, with their parameters drawn from the data (a deep cursor at 80 % of the list, a real customer id and email). */
export async function staffQueries(db: Db): Promise<BenchQuery[]> {
  const { n } = await one(db, sql`select count(*)::int as n from onboardings`);
  const deep = await one(
    db,
    sql`select to_char(created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as created_at, id::text as id
        from onboardings order by created_at desc, id desc offset ${Math.floor(Number(n) * 0.8)} limit 1`,
  );
  const customer = await one(
    db,
    sql`select external_id from onboarding_steps where provider = 'offblocks' and external_id is not null order by onboarding_id limit 1 offset ${Math.floor(Number(n) * 0.37)}`,
  );
  const email = await one(db, sql`select email from onboardings where email is not null order by id limit 1 offset ${Math.floor(Number(n) * 0.21)}`);
  const address = await one(db, sql`select address from onboardings order by id limit 1 offset ${Math.floor(Number(n) * 0.63)}`);
  const now = new Date();
  const list = (query: Omit<ListQuery, "limit">) => () => listOnboardings(db, { limit: 50, ...query }, now);
  const last30 = new Date(now.getTime() - 30 * 86400_000);
  return [
    { name: "list: first page", kind: "list", run: list({}) },
    { name: "list: deep cursor (80 %)", kind: "list", run: list({ cursor: { createdAt: String(deep.created_at), id: String(deep.id) } }) },
    { name: "list: status=pending", kind: "list", run: list({ status: "pending" }) },
    { name: "list: provider=bloq, last 30 d", kind: "list", run: list({ provider: "bloq", from: last30 }) },
    { name: "list: search customer id", kind: "list", run: list({ q: String(customer.external_id) }) },
    { name: "list: search email", kind: "list", run: list({ q: String(email.email).toUpperCase() }) },
    { name: "list: search address", kind: "list", run: list({ q: String(address.address) }) },
    { name: "metrics: last 30 d", kind: "metrics", run: () => staffMetrics(db, { from: last30 }, now) },
    { name: "metrics: all time", kind: "metrics", run: () => staffMetrics(db, {}, now) },
  ];
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index] ?? Number.NaN;
}

/** Runs each query `warmup` times untimed (metrics: once), then `iterations` times timed (metrics: `metricsIterations`). */
export async function timeQueries(
  queries: readonly BenchQuery[],
  options: { iterations: number; metricsIterations: number; warmup: number },
): Promise<Timing[]> {
  const timings: Timing[] = [];
  for (const query of queries) {
    // the metrics are slow at scale: one warm-up run is enough to warm the cache
    const warmup = query.kind === "metrics" ? Math.min(1, options.warmup) : options.warmup;
    for (let i = 0; i < warmup; i++) await query.run();
    const runs = query.kind === "metrics" ? options.metricsIterations : options.iterations;
    const samples: number[] = [];
    for (let i = 0; i < runs; i++) {
      const began = performance.now();
      await query.run();
      samples.push(performance.now() - began);
    }
    samples.sort((a, b) => a - b);
    timings.push({ name: query.name, kind: query.kind, p50: percentile(samples, 50), p95: percentile(samples, 95), runs });
  }
  return timings;
}
