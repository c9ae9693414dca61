/**
 * Checks the staff metrics' rollup (migrations 0006, 0011) against a live recount of the base tables: each hour's
 * counters, the time-to-verified histogram, and each onboarding's offblocks_verified_at against its
 * events. Used by the tests after writes through lib/onboarding and after the seed.
 */
import { sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { liveCounterColumns, offblocksVerifiedList } from "./live-counters-sql";

interface Rows {
  rows: Record<string, unknown>[];
}

/** Where the rollup differs from a live recount, one line each (empty when they agree). */
export async function rollupDifferences(db: Db): Promise<string[]> {
  const hours = (await db.execute(sql`
    with live as (
      select staff_metrics_hour(o.created_at) as hour,
        ${liveCounterColumns({ onboarding: "o.status", offblocks: "ob.status", unblock: "ub.status", bloq: "bq.status" })}
      from onboardings o
      left join onboarding_steps ob on ob.onboarding_id = o.id and ob.provider = 'offblocks'
      left join onboarding_steps ub on ub.onboarding_id = o.id and ub.provider = 'unblock'
      left join onboarding_steps bq on bq.onboarding_id = o.id and bq.provider = 'bloq'
      group by 1
    ), slots as (
      -- an hour's slots summed (migration 0011)
      select hour, sum(started)::int as started, sum(signed_in)::int as signed_in, sum(offblocks_verified)::int as offblocks_verified,
        sum(active)::int as active, sum(challenge_issued)::int as challenge_issued, sum(unblock_session)::int as unblock_session,
        sum(bloq_linked)::int as bloq_linked, sum(pending)::int as pending, sum(verified)::int as verified, sum(failed)::int as failed
      from staff_metrics_hourly group by hour
    ), kept as (
      select hour, started, signed_in, offblocks_verified, active, challenge_issued, unblock_session, bloq_linked, pending, verified, failed
      from slots
      where (started, signed_in, offblocks_verified, active, challenge_issued, unblock_session, bloq_linked, pending, verified, failed)
        <> (0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
    )
    select coalesce(l.hour, k.hour)::text as hour, row_to_json(l)::text as live, row_to_json(k)::text as kept
    from live l full join kept k on k.hour = l.hour
    where l is distinct from k
    order by 1`)) as unknown as Rows;
  const buckets = (await db.execute(sql`
    with live as (
      select staff_metrics_day(created_at) as day, staff_ttv_bucket(offblocks_verified_seconds) as bucket, count(*)::int as count
      from onboardings where offblocks_verified_seconds is not null group by 1, 2
    ), kept as (select day, bucket, count from staff_metrics_ttv where count <> 0)
    select coalesce(l.day, k.day)::text as day, coalesce(l.bucket, k.bucket) as bucket, l.count as live, k.count as kept
    from live l full join kept k on k.day = l.day and k.bucket = l.bucket
    where l.count is distinct from k.count
    order by 1, 2`)) as unknown as Rows;
  const verifiedAt = (await db.execute(sql`
    select o.id::text as id, o.offblocks_verified_at as kept, v.at as live
    from onboardings o
    left join (
      select e.onboarding_id, min(e.at) as at from onboarding_events e
      where e.type = 'status_change' and e.provider = 'offblocks' and e.data->>'to' in (${offblocksVerifiedList})
      group by e.onboarding_id
    ) v on v.onboarding_id = o.id
    where o.offblocks_verified_at is distinct from v.at
    limit 20`)) as unknown as Rows;
  return [
    ...hours.rows.map((r) => `hour ${String(r.hour)}: rollup ${String(r.kept)} ≠ live ${String(r.live)}`),
    ...buckets.rows.map((r) => `ttv ${String(r.day)} bucket ${String(r.bucket)}: rollup ${String(r.kept)} ≠ live ${String(r.live)}`),
    ...verifiedAt.rows.map((r) => `onboarding ${String(r.id)}: offblocks_verified_at ${String(r.kept)} ≠ first verified event ${String(r.live)}`),
  ];
}
