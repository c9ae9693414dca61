/**
 * The process's job queue (lib/jobs/queue.ts) on the app database, for the onboarding service and the
 * webhook route to enqueue into, and for the staff Providers page to count. One per process across Next's
 * module graphs (lib/process-shared). The workers are started by ./worker-start.ts at server start.
 */
import { appDatabase } from "../db";
import { FLEET_LOCKS, withFleetLock } from "../db/advisory-lock";
import { logger } from "../log";
import { sharedInProcess } from "../process-shared";
import { DEFAULT_FOLLOW_BACKOFF } from "./follow-job";
import { createJobQueue, type JobQueue, type JobQueueStats, type WebhookRetryJobData } from "./queue";

export type { JobQueueStats } from "./queue";

export function jobQueue(): Promise<JobQueue> {
  return sharedInProcess("job-queue", async () => {
    const database = await appDatabase();
    const queue = createJobQueue({ executeSql: database.executeSql, logger: logger() });
    // pg-boss creates its schema before it takes its own lock: instances starting at once on an empty
    // database would race on CREATE SCHEMA, so they take turns
    await withFleetLock(database, FLEET_LOCKS.jobQueueStart, () => queue.start());
    return queue;
  });
}

/** A follow-up of the onboarding in 2 s (the one already waiting is brought forward). */
export async function scheduleFollowSoon(onboardingId: string): Promise<void> {
  await (await jobQueue()).scheduleFollow({ onboardingId, attempt: 0 }, DEFAULT_FOLLOW_BACKOFF.baseSeconds, { sooner: true });
}

export async function scheduleWebhookRetry(delivery: WebhookRetryJobData): Promise<void> {
  await (await jobQueue()).scheduleWebhookRetry(delivery);
}

export async function jobQueueStats(): Promise<JobQueueStats> {
  return (await jobQueue()).stats();
}
