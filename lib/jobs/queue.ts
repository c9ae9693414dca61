/**
 * The background job queue: pg-boss (10.x, the line that runs on Node 20) over the app's own database
 * connections — the Postgres pool, or PGlite's one connection — through `db: {executeSql}`, so the same code
 * runs one process on PGlite and a fleet on Postgres. pg-boss keeps its tables in the `pgboss` schema, which
 * it installs and migrates itself at start under an advisory lock (several instances may start at once).
 * A job is fetched with `FOR UPDATE SKIP LOCKED`: each runs on one instance of the fleet.
 *
 * Queues (every one "stately": per singleton key at most one job waiting, one retrying and one running):
 * - `offblocks-follow` {onboardingId, attempt}: one follow-up of an OffBlocks customer (./follow-job.ts);
 *   each run schedules the next, so one onboarding has one chain, keyed by its id;
 * - `offblocks-webhook-retry` {eventId, type, customerId}: a webhook whose re-fetch failed, keyed by eventId,
 *   retried by pg-boss with exponential backoff;
 * - `jobs-recover`: enqueues a follow-up for every onboarding still followed that has none (./recover-job.ts),
 *   at start and every 10 minutes (a pg-boss schedule: once across the fleet).
 * All SQL on pg-boss's own tables (pull a waiting follow-up earlier, the staff counts) is in this file.
 */
import PgBoss from "pg-boss";
import type { Logger } from "pino";
import type { ExecuteSql } from "../db/client";

export const FOLLOW_QUEUE = "offblocks-follow";
export const WEBHOOK_RETRY_QUEUE = "offblocks-webhook-retry";
export const RECOVER_QUEUE = "jobs-recover";
export const JOB_QUEUES = [FOLLOW_QUEUE, WEBHOOK_RETRY_QUEUE, RECOVER_QUEUE] as const;
export type JobQueueName = (typeof JOB_QUEUES)[number];

const SCHEMA = "pgboss";
/** how long a run may take before pg-boss counts it failed (an instance killed mid-run: its job expires) */
const EXPIRE_SECONDS = 120;
export const RECOVER_CRON = "*/10 * * * *";

export interface FollowJobData {
  onboardingId: string;
  /** follow-ups in a row that found nothing new (the backoff's exponent) */
  attempt: number;
}
export interface WebhookRetryJobData {
  eventId: string;
  type: string;
  customerId: string;
}

export interface QueueJob<T> {
  id: string;
  data: T;
}

/** What staff see: waiting jobs now, and the failed runs of the last `windowHours`. */
export interface JobQueueStats {
  /** waiting to run (created or retry), all queues */
  queued: number;
  /** running now */
  active: number;
  failed: number;
  windowHours: number;
  lastFailure: { queue: string; at: string; message: string } | null;
  queues: { name: string; queued: number; active: number; failed: number }[];
}

export interface JobQueueOptions {
  executeSql: ExecuteSql;
  logger: Logger;
  /** how often an idle worker asks for work (pg-boss: at least 0.5 s); default 1 s */
  pollingIntervalSeconds?: number;
  /** how many jobs one worker runs side by side; default 10 */
  batchSize?: number;
  /** when the recovery runs by itself (cron, once across the fleet); default every 10 minutes, null: never */
  recoverCron?: string | null;
}

export interface JobQueue {
  /** Installs/migrates the pgboss schema, creates the queues and starts maintenance and schedules. */
  start(): Promise<void>;
  /** Stops the workers (running jobs may finish within `timeoutMs`), then the maintenance. */
  stop(timeoutMs?: number): Promise<void>;
  /**
   * A follow-up of the onboarding after `delaySeconds`. When one is already waiting (the chain runs), it is
   * brought forward to that time instead when `sooner` (the step just moved: check soon again).
   */
  scheduleFollow(data: FollowJobData, delaySeconds: number, options?: { sooner?: boolean }): Promise<void>;
  /** Several follow-ups at once (the recovery), each after its own delay; one already waiting is kept. */
  scheduleFollows(items: { data: FollowJobData; delaySeconds: number }[]): Promise<void>;
  scheduleWebhookRetry(data: WebhookRetryJobData): Promise<void>;
  scheduleRecovery(): Promise<void>;
  /**
   * Runs `handle` for each job of `queue` on this instance (up to `batchSize` side by side). A job whose
   * `handle` throws is marked failed with the error's message (pg-boss retries it when its queue says so).
   */
  work<T>(queue: JobQueueName, handle: (job: QueueJob<T>) => Promise<void>): Promise<void>;
  stats(windowHours?: number): Promise<JobQueueStats>;
}

/** Job data is ours (written by this module): still checked, as anything read back from a table. */
export const isFollowJobData = (value: unknown): value is FollowJobData =>
  typeof value === "object" &&
  value !== null &&
  typeof (value as FollowJobData).onboardingId === "string" &&
  Number.isInteger((value as FollowJobData).attempt);

export function createJobQueue(options: JobQueueOptions): JobQueue {
  const log = options.logger.child({ module: "jobs" });
  const executeSql = options.executeSql;
  const batchSize = options.batchSize ?? 10;
  const boss = new PgBoss({
    db: { executeSql: (text, values) => executeSql(text, values) },
    schema: SCHEMA,
    // the cron clock of the recovery; off without one
    schedule: (options.recoverCron === undefined ? RECOVER_CRON : options.recoverCron) !== null,
    // completed runs leave the job table after an hour; failed ones stay two days (the staff's 24 h count)
    archiveCompletedAfterSeconds: 3600,
    archiveFailedAfterSeconds: 2 * 86_400,
    deleteAfterDays: 7,
    pollingIntervalSeconds: options.pollingIntervalSeconds ?? 1,
  });
  // pg-boss reports its own failures (a lost connection, a failed maintenance) as events, never throws them
  boss.on("error", (error) => log.warn({ err: error.message }, "job queue error"));

  let started = false;
  let stopping = false;

  async function start(): Promise<void> {
    await boss.start();
    await ensureQueue(FOLLOW_QUEUE, { retryLimit: 0 });
    await ensureQueue(WEBHOOK_RETRY_QUEUE, { retryLimit: 10, retryDelay: 2, retryBackoff: true });
    await ensureQueue(RECOVER_QUEUE, { retryLimit: 2, retryDelay: 10 });
    const cron = options.recoverCron === undefined ? RECOVER_CRON : options.recoverCron;
    if (cron) await boss.schedule(RECOVER_QUEUE, cron, {}, { singletonKey: "recover" });
    else await boss.unschedule(RECOVER_QUEUE);
    started = true;
  }

  async function ensureQueue(name: JobQueueName, retry: PgBoss.RetryOptions): Promise<void> {
    const existing = await boss.getQueue(name);
    const queue = { name, policy: "stately" as const, expireInSeconds: EXPIRE_SECONDS, ...retry };
    if (existing) await boss.updateQueue(name, queue);
    else await boss.createQueue(name, queue);
  }

  async function stop(timeoutMs = 10_000): Promise<void> {
    if (!started || stopping) return;
    stopping = true;
    await boss.stop({ graceful: true, wait: true, timeout: timeoutMs, close: false });
  }

  async function scheduleFollow(data: FollowJobData, delaySeconds: number, opts: { sooner?: boolean } = {}): Promise<void> {
    const id = await boss.send(FOLLOW_QUEUE, data, { singletonKey: data.onboardingId, startAfter: Math.max(0, Math.round(delaySeconds)) });
    if (id !== null || !opts.sooner) return;
    // the chain's waiting run: no later than now + delay, and counting the backoff from `attempt` again
    await executeSql(
      `UPDATE ${SCHEMA}.job SET start_after = LEAST(start_after, now() + $3 * interval '1 second'),
         data = jsonb_set(data, '{attempt}', to_jsonb($4::int))
       WHERE name = $1 AND singleton_key = $2 AND state = 'created'`,
      [FOLLOW_QUEUE, data.onboardingId, Math.max(0, Math.round(delaySeconds)), data.attempt],
    );
  }

  async function scheduleFollows(items: { data: FollowJobData; delaySeconds: number }[]): Promise<void> {
    if (items.length === 0) return;
    const jobs = items.map(({ data, delaySeconds }) => ({
      name: FOLLOW_QUEUE,
      data,
      singletonKey: data.onboardingId,
      startAfter: new Date(Date.now() + Math.max(0, delaySeconds) * 1000).toISOString(),
    }));
    // one waiting follow-up per onboarding: a conflict with a waiting one is skipped (ON CONFLICT DO NOTHING)
    await boss.insert(jobs);
  }

  async function scheduleWebhookRetry(data: WebhookRetryJobData): Promise<void> {
    await boss.send(WEBHOOK_RETRY_QUEUE, data, { singletonKey: data.eventId, startAfter: 2 });
  }

  async function scheduleRecovery(): Promise<void> {
    await boss.send(RECOVER_QUEUE, {}, { singletonKey: "recover" });
  }

  async function work<T>(queue: JobQueueName, handle: (job: QueueJob<T>) => Promise<void>): Promise<void> {
    await boss.work<T>(queue, { batchSize }, async (jobs) => {
      await Promise.all(
        jobs.map(async (job) => {
          try {
            await handle({ id: job.id, data: job.data });
          } catch (error) {
            const message = error instanceof Error ? error.message : String(error);
            log.warn({ queue, jobId: job.id, err: message }, "job failed");
            // only this job of the batch: the others complete
            await boss.fail(queue, job.id, { message });
          }
        }),
      );
    });
  }

  async function stats(windowHours = 24): Promise<JobQueueStats> {
    const { rows } = await executeSql(
      `SELECT name,
          count(*) FILTER (WHERE state IN ('created', 'retry'))::int AS queued,
          count(*) FILTER (WHERE state = 'active')::int AS active,
          count(*) FILTER (WHERE state = 'failed' AND completed_on > now() - $2 * interval '1 hour')::int AS failed
        FROM ${SCHEMA}.job WHERE name = ANY($1::text[]) GROUP BY name`,
      [[...JOB_QUEUES], windowHours],
    );
    const { rows: last } = await executeSql(
      `SELECT name, completed_on, output->>'message' AS message FROM ${SCHEMA}.job
        WHERE name = ANY($1::text[]) AND state = 'failed' AND completed_on > now() - $2 * interval '1 hour'
        ORDER BY completed_on DESC LIMIT 1`,
      [[...JOB_QUEUES], windowHours],
    );
    const queues = JOB_QUEUES.map((name) => {
      const row = rows.find((r) => r.name === name);
      return { name, queued: Number(row?.queued ?? 0), active: Number(row?.active ?? 0), failed: Number(row?.failed ?? 0) };
    });
    const failure = last[0];
    return {
      queued: queues.reduce((sum, q) => sum + q.queued, 0),
      active: queues.reduce((sum, q) => sum + q.active, 0),
      failed: queues.reduce((sum, q) => sum + q.failed, 0),
      windowHours,
      lastFailure: failure
        ? { queue: String(failure.name), at: new Date(failure.completed_on as string | Date).toISOString(), message: String(failure.message ?? "failed") }
        : null,
      queues,
    };
  }

  return { start, stop, scheduleFollow, scheduleFollows, scheduleWebhookRetry, scheduleRecovery, work, stats };
}
