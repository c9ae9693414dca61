/**
 * The `jobs-recover` job (at start and every 10 minutes, once across the fleet): every onboarding whose
 * OffBlocks step is still followed gets a waiting follow-up unless it has one (the queue keeps one per
 * onboarding), so nothing stays unfollowed after a crash, a restart or a lost enqueue. The follow-ups are
 * spread over a few seconds per thousand onboardings, not all due at once; a step that changed long ago
 * starts further along the backoff.
 */
import type { FollowedOnboarding } from "../onboarding/service";
import { DEFAULT_FOLLOW_BACKOFF, type FollowBackoff } from "./follow-job";
import type { JobQueue } from "./queue";

const PAGE = 1000;
/** follow-ups per second the recovery aims at when it enqueues many */
const RECOVERY_RATE_PER_SECOND = 50;

export interface RecoverJobDeps {
  queue: Pick<JobQueue, "scheduleFollows">;
  followed: (after: string | null, limit: number) => Promise<FollowedOnboarding[]>;
  backoff?: FollowBackoff;
  now?: () => Date;
}

/** The largest attempt whose delay is at most the time the step has been unchanged (0 for a fresh change). */
export function attemptFor(unchangedSeconds: number, backoff: FollowBackoff = DEFAULT_FOLLOW_BACKOFF): number {
  if (!(unchangedSeconds > backoff.baseSeconds)) return 0;
  return Math.min(30, Math.floor(Math.log2(unchangedSeconds / backoff.baseSeconds)));
}

export function recoverJobHandler(deps: RecoverJobDeps): () => Promise<{ followed: number }> {
  const now = deps.now ?? (() => new Date());
  return async () => {
    let after: string | null = null;
    let followed = 0;
    for (;;) {
      const page = await deps.followed(after, PAGE);
      if (page.length === 0) break;
      await deps.queue.scheduleFollows(
        page.map((row, index) => ({
          data: { onboardingId: row.onboardingId, attempt: attemptFor((now().getTime() - row.updatedAt.getTime()) / 1000, deps.backoff) },
          delaySeconds: (followed + index) / RECOVERY_RATE_PER_SECOND,
        })),
      );
      followed += page.length;
      after = page[page.length - 1]!.onboardingId;
      if (page.length < PAGE) break;
    }
    return { followed };
  };
}
