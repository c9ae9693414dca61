/**
 * This instance's workers on the job queue: the follow-ups, the webhook retries and the recovery (with the
 * housekeeping it carries), each job handled through the onboarding service or the webhook processor. Every instance runs them; the queue
 * hands each job to one.
 */
import type { Logger } from "pino";
import type { OnboardingService } from "../onboarding/service";
import type { CustomerDeliveryProcessor } from "../webhooks/offblocks-handler";
import { followJobHandler, type FollowBackoff } from "./follow-job";
import { FOLLOW_QUEUE, RECOVER_QUEUE, WEBHOOK_RETRY_QUEUE, isFollowJobData, type FollowJobData, type JobQueue, type WebhookRetryJobData } from "./queue";
import { recoverJobHandler } from "./recover-job";
import { webhookRetryJobHandler } from "./webhook-retry-job";

export interface JobWorkersDeps {
  queue: JobQueue;
  onboarding: Pick<OnboardingService, "followOffblocksCustomer" | "followedOnboardings">;
  processDelivery: CustomerDeliveryProcessor;
  logger: Logger;
  backoff?: FollowBackoff;
  /** run with each recovery (once across the fleet every 10 minutes): deletes what expired, says how much */
  housekeeping?: () => Promise<Record<string, number>>;
}

export async function startJobWorkers(deps: JobWorkersDeps): Promise<void> {
  const { queue } = deps;
  const log = deps.logger.child({ module: "jobs" });
  const follow = followJobHandler({ queue, follow: (id) => deps.onboarding.followOffblocksCustomer(id), backoff: deps.backoff });
  await queue.work<FollowJobData>(FOLLOW_QUEUE, async (job) => {
    if (!isFollowJobData(job.data)) return; // not ours: dropped, not retried
    await follow(job);
  });
  await queue.work<WebhookRetryJobData>(WEBHOOK_RETRY_QUEUE, webhookRetryJobHandler(deps.processDelivery));
  const recover = recoverJobHandler({ queue, followed: (after, limit) => deps.onboarding.followedOnboardings(after, limit), backoff: deps.backoff });
  await queue.work(RECOVER_QUEUE, async () => {
    const { followed } = await recover();
    log.info({ followed }, "background follow-ups recovered");
    if (deps.housekeeping) log.info({ deleted: await deps.housekeeping() }, "expired rows deleted");
  });
}
