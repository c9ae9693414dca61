/** The four steps across the top of the page, each marked done, current, upcoming or failed. */
import { STEPS, stepProgress, type StepId } from "./flow-step";
import type { OffblocksStatus } from "./onboarding-types";

const CIRCLE: Record<string, string> = {
  complete: "bg-brand text-white border-brand",
  current: "bg-white text-brand border-brand ring-4 ring-brand-light",
  upcoming: "bg-white text-ink-muted border-slate-300",
  failed: "bg-red-700 text-white border-red-700",
};

const SPOKEN: Record<string, string> = { complete: "done", current: "current step", upcoming: "not started", failed: "needs attention" };

/** Connect → Sign in → Verify with OffBlocks → Status (OffBlocks' progress, then the Unblock account), with the current step marked for assistive tech. */
export function Stepper({
  current,
  offblocksStatus,
  unblockDone = false,
}: {
  current: StepId | null;
  offblocksStatus: OffblocksStatus | undefined;
  unblockDone?: boolean;
}) {
  return (
    <nav aria-label="Onboarding progress">
      <ol className="grid grid-cols-4 gap-1 sm:gap-2">
        {STEPS.map((step, index) => {
          const progress = current ? stepProgress(step.id, current, offblocksStatus, unblockDone) : "upcoming";
          return (
            <li
              key={step.id}
              aria-current={progress === "current" ? "step" : undefined}
              className="flex flex-col items-center gap-1.5 text-center"
              data-progress={progress}
            >
              <span aria-hidden="true" className={`flex size-8 items-center justify-center rounded-full border-2 text-sm font-bold ${CIRCLE[progress]}`}>
                {progress === "complete" ? "✓" : progress === "failed" ? "!" : index + 1}
              </span>
              <span className={`text-xs leading-tight sm:text-sm ${progress === "current" ? "font-semibold text-ink" : "text-ink-muted"}`}>
                {step.label}
                <span className="sr-only"> ({SPOKEN[progress]})</span>
              </span>
            </li>
          );
        })}
      </ol>
    </nav>
  );
}
