/**
 * Bulk generation of realistic onboardings, steps and events, entirely in SQL (generate_series): one
 * transaction per batch fills a temporary table with each onboarding's random draws, then three
 * INSERT … SELECT statements write onboardings, onboarding_steps and onboarding_events from it. The same
 * SQL runs on Postgres and on PGlite. The staff metrics' triggers are skipped (`staff_metrics.bulk`) and
 * their rollup is recounted once at the end (`staff_metrics_rebuild()`, migration 0006).
 *
 * Distributions (per onboarding):
 * - created_at uniform over the last 90 days
 * - OffBlocks step: not_started 2 %, challenge_issued 12 % (stuck once older than an hour), verified 2 %,
 *   screening 4 %, verifying 10 %, active 55 %, rejected 10 %, failed 5 %
 * - onboarding status: verified when OffBlocks is active, failed when rejected/failed, else pending
 * - Unblock step for 60 % of the active (user_created / session_active / session_expired)
 * - Bloq step for 30 % of the verified-or-beyond (linked / message_issued / not_allowed / failed)
 * - email for 70 %; OffBlocks customer id for every started step
 * - events: 3 (stuck challenge) to 11 (active with Unblock and Bloq), about 8 on average
 * - time to OffBlocks verified: 15 s + up to an hour, skewed short (median ≈ 8 min)
 */
import { sql } from "drizzle-orm";
import type { Db } from "../../lib/db/client";

export interface SeedOptions {
  /** how many onboardings to add */
  count: number;
  /** the sequence number of the first (addresses, emails and customer ids derive from it; keep them unique) */
  start?: number;
  batchSize?: number;
  onProgress?: (done: number, count: number) => void;
}

interface Rows {
  rows: Record<string, unknown>[];
}

/** The number of onboardings in the database and the next free sequence number for the seed. */
export async function seedState(db: Db): Promise<{ onboardings: number; nextSeq: number }> {
  const result = (await db.execute(sql`select count(*)::int as n from onboardings`)) as unknown as Rows;
  const n = Number(result.rows[0]?.n ?? 0);
  // seeded rows are numbered 1…n; with other rows present, n + 1 is still past every seeded number
  return { onboardings: n, nextSeq: n + 1 };
}

/** Deletes every onboarding (steps and events cascade) and the events without one. */
export async function resetOnboardings(db: Db): Promise<void> {
  await db.execute(sql`truncate onboarding_events, onboarding_steps, webhook_deliveries, onboardings restart identity cascade`);
}

const VERIFIED_OR_BEYOND = `('verified','screening','verifying','active','rejected','failed')`;

function batchSql(lo: number, hi: number): string[] {
  return [
    `create temporary table seed_batch on commit drop as
     select n, gen_random_uuid() as id,
       now() - random() * interval '90 days' as created_at,
       random() as r_ob, random() as r_t, random() as r_t2, random() as r_ub, random() as r_ub2,
       random() as r_bq, random() as r_bq2, random() as r_mail
     from generate_series(${lo}::bigint, ${hi - 1}::bigint) n`,
    `alter table seed_batch add column ob text, add column ub text, add column bq text,
       add column t_v timestamptz, add column t_final timestamptz, add column customer text`,
    `update seed_batch set
       ob = case when r_ob < 0.02 then 'not_started' when r_ob < 0.14 then 'challenge_issued'
         when r_ob < 0.16 then 'verified' when r_ob < 0.20 then 'screening' when r_ob < 0.30 then 'verifying'
         when r_ob < 0.85 then 'active' when r_ob < 0.95 then 'rejected' else 'failed' end,
       t_v = created_at + (15 + 3600 * r_t * r_t * r_t) * interval '1 second',
       t_final = created_at + (15 + 3600 * r_t * r_t * r_t + 60 + 86400 * r_t2 * r_t2) * interval '1 second',
       customer = 'cus_' || substr(md5('c' || n), 1, 24)`,
    `update seed_batch set
       ub = case when ob = 'active' and r_ub < 0.6 then
         case when r_ub2 < 0.2 then 'user_created' when r_ub2 < 0.35 then 'session_active' else 'session_expired' end end,
       bq = case when ob in ${VERIFIED_OR_BEYOND} and r_bq < 0.3 then
         case when r_bq2 < 0.6 then 'linked' when r_bq2 < 0.75 then 'message_issued' when r_bq2 < 0.95 then 'not_allowed' else 'failed' end end`,
    // offblocks_verified_at: the first verified status_change below (the triggers that keep it are off)
    `insert into onboardings (id, address, chain_id, status, email, created_at, updated_at, offblocks_verified_at)
     select id, '0x' || lpad(to_hex(n), 10, '0') || substr(md5('a' || n), 1, 30),
       case when n % 10 < 7 then 1 when n % 10 < 9 then 8453 else 10 end,
       case when ob = 'active' then 'verified' when ob in ('rejected', 'failed') then 'failed' else 'pending' end,
       case when r_mail < 0.7 then 'seed' || n || '@example.com' end,
       created_at,
       case when ob in ('not_started', 'challenge_issued') then created_at + interval '1 second' else t_final end,
       case when ob in ${VERIFIED_OR_BEYOND} then t_v end
     from seed_batch`,
    `insert into onboarding_steps (onboarding_id, provider, status, external_id, challenge, challenge_expires_at, created_at, updated_at)
     select id, 'offblocks', ob, case when ob <> 'not_started' then customer end,
       case when ob = 'challenge_issued' then 'example.com wants you to sign in with your Ethereum account (seed ' || n || ')' end,
       case when ob = 'challenge_issued' then created_at + interval '10 minutes' end,
       created_at, case when ob in ('not_started', 'challenge_issued') then created_at + interval '1 second' else t_final end
     from seed_batch
     union all
     select id, 'unblock', ub, 'ubu_' || substr(md5('u' || n), 1, 24), null, null, t_final, t_final + interval '5 minutes'
     from seed_batch where ub is not null
     union all
     select id, 'bloq', bq, null, null, null, t_final, t_final + interval '2 minutes'
     from seed_batch where bq is not null`,
    `insert into onboarding_events (onboarding_id, type, provider, data, at)
     select b.id, e.type, e.provider, e.data, e.at
     from seed_batch b
     cross join lateral (values
       (true, 'status_change', null::text, jsonb_build_object('from', null, 'to', 'pending'), b.created_at),
       (true, 'provider_call', 'offblocks', case when b.ob = 'not_started'
          then jsonb_build_object('operation', 'createCustomer', 'outcome', 'error', 'code', 'offblocks_unavailable')
          else jsonb_build_object('operation', 'createCustomer', 'outcome', 'ok', 'customerId', b.customer, 'customerStatus', 'challenge_issued') end,
          b.created_at + interval '500 milliseconds'),
       (b.ob = 'not_started', 'error', 'offblocks', jsonb_build_object('code', 'offblocks_unavailable', 'message', 'OffBlocks did not answer.', 'operation', 'createCustomer'),
          b.created_at + interval '600 milliseconds'),
       (b.ob <> 'not_started', 'status_change', 'offblocks', jsonb_build_object('from', 'not_started', 'to', 'challenge_issued', 'cause', 'customer_created'),
          b.created_at + interval '1 second'),
       (b.ob in ${VERIFIED_OR_BEYOND}, 'status_change', 'offblocks', jsonb_build_object('from', 'challenge_issued', 'to', 'verified', 'cause', 'signature_accepted'), b.t_v),
       (b.ob in ('screening', 'verifying', 'active', 'rejected'), 'status_change', 'offblocks', jsonb_build_object('from', 'verified', 'to', 'screening', 'cause', 'webhook'),
          b.t_v + interval '2 seconds'),
       (b.ob in ('verifying', 'active', 'rejected'), 'status_change', 'offblocks', jsonb_build_object('from', 'screening', 'to', 'verifying', 'cause', 'webhook'),
          b.t_v + interval '30 seconds'),
       (b.ob in ('active', 'rejected'), 'status_change', 'offblocks', jsonb_build_object('from', 'verifying', 'to', b.ob, 'cause', 'webhook'), b.t_final),
       (b.ob = 'failed', 'status_change', 'offblocks', jsonb_build_object('from', 'verified', 'to', 'failed', 'cause', 'customer_lost'), b.t_final),
       (b.ob in ('active', 'rejected', 'failed'), 'status_change', null::text,
          jsonb_build_object('from', 'pending', 'to', case when b.ob = 'active' then 'verified' else 'failed' end), b.t_final),
       (b.ub is not null, 'status_change', 'unblock', jsonb_build_object('from', 'not_started', 'to', 'user_created', 'cause', 'user_created'),
          b.t_final + interval '1 minute'),
       (b.ub in ('session_active', 'session_expired'), 'status_change', 'unblock', jsonb_build_object('from', 'user_created', 'to', 'session_active', 'cause', 'login'),
          b.t_final + interval '3 minutes'),
       (b.ub = 'session_expired', 'status_change', 'unblock', jsonb_build_object('from', 'session_active', 'to', 'session_expired', 'cause', 'expired'),
          b.t_final + interval '4 hours 3 minutes'),
       (b.bq is not null, 'status_change', 'bloq', jsonb_build_object('from', 'not_started', 'to', 'message_issued', 'cause', 'message'),
          b.t_final + interval '1 minute'),
       (b.bq in ('linked', 'not_allowed', 'failed'), 'status_change', 'bloq', jsonb_build_object('from', 'message_issued', 'to', b.bq, 'cause', 'login'),
          b.t_final + interval '2 minutes')
     ) as e(ok, type, provider, data, at)
     where e.ok
     order by e.at`,
  ];
}

/** Adds `count` onboardings (with steps and events) in batches; returns the next free sequence number. */
export async function seedOnboardings(db: Db, options: SeedOptions): Promise<number> {
  const batchSize = options.batchSize ?? 50_000;
  const start = options.start ?? 1;
  let done = 0;
  while (done < options.count) {
    const size = Math.min(batchSize, options.count - done);
    const lo = start + done;
    await db.transaction(async (tx) => {
      // the staff metrics' triggers stay off for the bulk insert; the rollup is rebuilt once at the end
      await tx.execute(sql`set local staff_metrics.bulk = 'on'`);
      for (const statement of batchSql(lo, lo + size)) await tx.execute(sql.raw(statement));
    });
    done += size;
    options.onProgress?.(done, options.count);
  }
  await db.execute(sql`select staff_metrics_rebuild()`);
  await db.execute(sql`vacuum analyze onboardings`);
  await db.execute(sql`vacuum analyze onboarding_steps`);
  await db.execute(sql`vacuum analyze onboarding_events`);
  await db.execute(sql`vacuum analyze staff_metrics_hourly`);
  await db.execute(sql`vacuum analyze staff_metrics_ttv`);
  return start + options.count;
}
