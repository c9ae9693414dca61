/**
 * Server start and stop of this instance's job workers (lib/server-start.ts): the process's queue, the
 * workers on the process's onboarding service and webhook processor (the recovery also sweeps expired sign-in
 * state, lib/auth/sweep.ts), and a recovery run right away. Started
 * once per process (lib/process-shared); stopped on SIGTERM/SIGINT, letting running jobs finish for a few
 * seconds. Next exits on those signals by itself unless NEXT_MANUAL_SIG_HANDLE is set (then we exit once
 * stopped); either way a job cut short only expires, and the recovery schedules its onboarding again.
 */
import { sweepSignIns } from "../auth/sweep";
import { appDatabase } from "../db";
import { logger } from "../log";
import { onboardingService } from "../onboarding";
import { sharedInProcess } from "../process-shared";
import { offblocksDeliveryProcessor } from "../webhooks";
import { jobQueue } from ".";
import { startJobWorkers } from "./workers";

const STOP_TIMEOUT_MS = 5_000;

export function startBackgroundJobs(): Promise<void> {
  return sharedInProcess("job-workers", async () => {
    const queue = await jobQueue();
    const { db } = await appDatabase();
    await startJobWorkers({
      queue,
      onboarding: await onboardingService(),
      processDelivery: await offblocksDeliveryProcessor(),
      logger: logger(),
      housekeeping: () => sweepSignIns(db, new Date()),
    });
    await queue.scheduleRecovery();
    const stop = (signal: NodeJS.Signals) => {
      void queue.stop(STOP_TIMEOUT_MS).finally(() => {
        if (process.env.NEXT_MANUAL_SIG_HANDLE) process.exit(signal === "SIGINT" ? 130 : 143);
      });
    };
    process.once("SIGTERM", stop);
    process.once("SIGINT", stop);
  });
}

export async function stopBackgroundJobs(): Promise<void> {
  await (await jobQueue()).stop(STOP_TIMEOUT_MS);
}
