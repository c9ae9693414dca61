/**
 * The `offblocks-follow` job: one background follow-up of an onboarding's OffBlocks customer, through the
 * onboarding service (the only writer of onboardings). Each run schedules the next unless the step is final:
 * after 2 s, 4 s, 8 s, … capped at `maxDelaySeconds` while nothing changes, back to 2 s once the step moved.
 * A failed re-fetch (OffBlocks down) still schedules the next run, then fails this one (staff see it).
 */
import type { FollowUpResult } from "../onboarding/service";
import type { FollowJobData, JobQueue, QueueJob } from "./queue";

export interface FollowBackoff {
  baseSeconds: number;
  maxDelaySeconds: number;
}

export const DEFAULT_FOLLOW_BACKOFF: FollowBackoff = { baseSeconds: 2, maxDelaySeconds: 300 };

/** Seconds before follow-up number `attempt` (0: the first after a change). */
export function followDelaySeconds(attempt: number, backoff: FollowBackoff = DEFAULT_FOLLOW_BACKOFF): number {
  return Math.min(backoff.maxDelaySeconds, backoff.baseSeconds * 2 ** Math.min(Math.max(0, attempt), 30));
}

export interface FollowJobDeps {
  queue: Pick<JobQueue, "scheduleFollow">;
  follow: (onboardingId: string) => Promise<FollowUpResult>;
  backoff?: FollowBackoff;
}

export function followJobHandler(deps: FollowJobDeps): (job: QueueJob<FollowJobData>) => Promise<void> {
  const backoff = deps.backoff ?? DEFAULT_FOLLOW_BACKOFF;
  const next = (data: FollowJobData, attempt: number) =>
    deps.queue.scheduleFollow({ onboardingId: data.onboardingId, attempt }, followDelaySeconds(attempt, backoff));
  return async ({ data }) => {
    let result: FollowUpResult;
    try {
      result = await deps.follow(data.onboardingId);
    } catch (error) {
      await next(data, data.attempt + 1);
      throw error;
    }
    if (!result.done) await next(data, result.changed ? 0 : data.attempt + 1);
  };
}
