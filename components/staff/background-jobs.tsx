/**
 * The Providers page's background jobs panel (lib/jobs): jobs waiting and running now, failed runs in the
 * last 24 h and the last failure, in one sentence, then per queue. Shown from the providers answer.
 */
import type { JobQueueStats } from "@/lib/jobs/queue";
import { when } from "./labels";

const QUEUE_LABELS: Record<string, string> = {
  "offblocks-follow": "OffBlocks follow-ups",
  "offblocks-webhook-retry": "OffBlocks webhook retries",
  "jobs-recover": "Recovery",
};

export function BackgroundJobs({ jobs }: { jobs: JobQueueStats | null }) {
  return (
    <section aria-labelledby="background-jobs" className="rounded-xl border border-slate-200 bg-white p-4 shadow-sm" data-testid="background-jobs">
      <h2 id="background-jobs" className="text-lg font-semibold">
        Background jobs
      </h2>
      {jobs ? (
        <>
          <p className="mt-2 text-sm" data-testid="background-jobs-summary">
            Background jobs: {jobs.queued} queued{jobs.active > 0 ? `, ${jobs.active} running` : ""}, {jobs.failed} failed in the last {jobs.windowHours} h
            {jobs.lastFailure
              ? `, last failure: ${when(jobs.lastFailure.at)} (${QUEUE_LABELS[jobs.lastFailure.queue] ?? jobs.lastFailure.queue}): ${jobs.lastFailure.message}`
              : ", no failure."}
          </p>
          <table className="mt-3 w-full text-left text-sm">
            <thead>
              <tr className="border-b border-slate-200">
                <th scope="col" className="py-1 pr-3 font-medium">
                  Queue
                </th>
                <th scope="col" className="py-1 pr-3 font-medium">
                  Queued
                </th>
                <th scope="col" className="py-1 pr-3 font-medium">
                  Running
                </th>
                <th scope="col" className="py-1 font-medium">
                  Failed ({jobs.windowHours} h)
                </th>
              </tr>
            </thead>
            <tbody>
              {jobs.queues.map((queue) => (
                <tr key={queue.name} className="border-b border-slate-100">
                  <th scope="row" className="py-1 pr-3 font-normal">
                    {QUEUE_LABELS[queue.name] ?? queue.name}
                  </th>
                  <td className="py-1 pr-3">{queue.queued}</td>
                  <td className="py-1 pr-3">{queue.active}</td>
                  <td className="py-1">{queue.failed}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      ) : (
        <p className="mt-2 text-sm text-slate-700">The job queue could not be read.</p>
      )}
    </section>
  );
}
