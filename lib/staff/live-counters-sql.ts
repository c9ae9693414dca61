/**
 * The rollup's counters (migration 0006 keeps them per hour) counted live from the base tables: one
 * `count(*)` column per counter, named as its column of staff_metrics_hourly, over rows that give an
 * onboarding's status and its three steps' statuses. The metrics' partial hours (metrics.ts) and the rollup's
 * check (metrics-recount.ts) both count with these, so the two cannot drift apart.
 */
import { sql, type SQL } from "drizzle-orm";

/** The OffBlocks step statuses that mean its challenge was signed and accepted. */
export const OFFBLOCKS_VERIFIED_STATUSES = ["verified", "screening", "verifying", "active", "rejected", "failed"] as const;

/** The verified statuses as an SQL list: `'verified', 'screening', …`. */
export const offblocksVerifiedList = sql.raw(OFFBLOCKS_VERIFIED_STATUSES.map((s) => `'${s}'`).join(", "));

/** Column references (SQL text of this module's callers, never input) to an onboarding's status and to its steps' statuses. */
export interface StatusColumns {
  onboarding: string;
  offblocks: string;
  unblock: string;
  bloq: string;
}

/** `count(*)::int as started, count(*) filter (where …)::int as signed_in, …`: every counter, live. */
export function liveCounterColumns(columns: StatusColumns): SQL {
  const o = sql.raw(columns.onboarding);
  const ob = sql.raw(columns.offblocks);
  const ub = sql.raw(columns.unblock);
  const bq = sql.raw(columns.bloq);
  return sql`count(*)::int as started,
    count(*) filter (where ${ob} is not null and ${ob} <> 'not_started')::int as signed_in,
    count(*) filter (where ${ob} in (${offblocksVerifiedList}))::int as offblocks_verified,
    count(*) filter (where ${ob} = 'active')::int as active,
    count(*) filter (where ${ob} = 'challenge_issued')::int as challenge_issued,
    count(*) filter (where ${ub} in ('session_active', 'session_expired'))::int as unblock_session,
    count(*) filter (where ${bq} = 'linked')::int as bloq_linked,
    count(*) filter (where ${o} = 'pending')::int as pending,
    count(*) filter (where ${o} = 'verified')::int as verified,
    count(*) filter (where ${o} = 'failed')::int as failed`;
}
