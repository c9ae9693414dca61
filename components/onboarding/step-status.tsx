/** The status step: OffBlocks' progress (verified → screening → verifying → active, or rejected / failed), polled until final. */
import { useEffect, useState, type Ref } from "react";
import { Alert } from "@/components/ui/alert";
import { Spinner } from "@/components/ui/button";
import { isFinal, onboardingApi } from "./onboarding-api";
import type { OffblocksStatus, Onboarding } from "./onboarding-types";
import { StepPanel } from "./step-panel";

export const POLL_INTERVAL_MS = 1500;

const STAGES: readonly { id: OffblocksStatus; label: string; detail: string }[] = [
  { id: "verified", label: "Wallet verified", detail: "OffBlocks accepted your signature." },
  { id: "screening", label: "Screening", detail: "OffBlocks runs its standard checks on the wallet." },
  { id: "verifying", label: "Identity verification", detail: "OffBlocks reviews your details." },
  { id: "active", label: "Account active", detail: "Your OffBlocks account is open." },
];

const ORDER: Record<OffblocksStatus, number> = {
  not_started: -1,
  challenge_issued: -1,
  verified: 0,
  screening: 1,
  verifying: 2,
  active: 3,
  rejected: 3,
  failed: 3,
};

const CURRENT_TEXT: Partial<Record<OffblocksStatus, string>> = {
  verified: "Signature accepted. OffBlocks is starting its checks…",
  screening: "OffBlocks is screening your wallet…",
  verifying: "OffBlocks is verifying your details…",
};

export function StatusStep({
  headingRef,
  onboarding,
  onOnboarding,
  onApiError,
}: {
  headingRef: Ref<HTMLHeadingElement>;
  onboarding: Onboarding;
  onOnboarding: (onboarding: Onboarding) => void;
  onApiError: (error: unknown) => boolean;
}) {
  const status = onboarding.steps.offblocks.status;
  const [pollTrouble, setPollTrouble] = useState(false);
  const [attempt, setAttempt] = useState(0);

  // follow the status until it is final
  useEffect(() => {
    if (isFinal(status)) return;
    let stopped = false;
    const timer = window.setTimeout(async () => {
      try {
        const next = await onboardingApi.onboarding();
        if (stopped) return;
        setPollTrouble(false);
        if (next) onOnboarding(next);
      } catch (error) {
        if (stopped || onApiError(error)) return;
        setPollTrouble(true);
        setAttempt((n) => n + 1);
      }
    }, POLL_INTERVAL_MS);
    return () => {
      stopped = true;
      window.clearTimeout(timer);
    };
    // a new onboarding object (each answer) or a failed attempt arms the next poll
  }, [onboarding, attempt, status, onOnboarding, onApiError]);

  const reached = ORDER[status];
  return (
    <StepPanel
      step="status"
      title={status === "active" ? "You are verified" : status === "rejected" || status === "failed" ? "Verification stopped" : "Verification in progress"}
      headingRef={headingRef}
    >
      <ol className="flex flex-col gap-3" aria-label="OffBlocks verification stages">
        {STAGES.map((stage) => {
          const done = ORDER[stage.id] < reached || (stage.id === "active" && status === "active");
          const current = !done && ORDER[stage.id] === reached && !isFinal(status);
          const failedHere = (status === "rejected" || status === "failed") && stage.id === "active";
          return (
            <li
              key={stage.id}
              className="flex items-start gap-3"
              data-stage={stage.id}
              data-state={done ? "done" : current ? "current" : failedHere ? "failed" : "pending"}
            >
              <span
                aria-hidden="true"
                className={`mt-0.5 flex size-6 shrink-0 items-center justify-center rounded-full text-xs font-bold ${
                  done
                    ? "bg-emerald-700 text-white"
                    : failedHere
                      ? "bg-red-700 text-white"
                      : current
                        ? "bg-brand-light text-brand"
                        : "bg-slate-200 text-ink-muted"
                }`}
              >
                {done ? "✓" : failedHere ? "✕" : current ? <Spinner className="size-3" /> : ""}
              </span>
              <div>
                <p className={`font-medium ${done || current ? "text-ink" : "text-ink-muted"}`}>
                  {failedHere ? "Account not opened" : stage.label}
                  <span className="sr-only">{done ? " (done)" : current ? " (in progress)" : failedHere ? " (stopped)" : " (waiting)"}</span>
                </p>
                <p className="text-sm text-ink-muted">{stage.detail}</p>
              </div>
            </li>
          );
        })}
      </ol>

      <div data-testid="offblocks-status" data-status={status}>
        {status === "active" ? (
          <Alert tone="success" title="All set: your OffBlocks account is active">
            OffBlocks verified your wallet and opened your account. Coming back to this page shows this status again.
          </Alert>
        ) : status === "rejected" ? (
          <Alert tone="error" title="OffBlocks could not approve your account">
            OffBlocks finished its checks and declined this wallet. No funds moved. Contact support if you think this is a mistake.
          </Alert>
        ) : status === "failed" ? (
          <Alert tone="error" title="Verification failed">
            Something went wrong at OffBlocks while checking your wallet. No funds moved. Contact support, or come back later to try again.
          </Alert>
        ) : (
          <p role="status" className="flex items-center gap-3 text-ink">
            <Spinner className="text-brand" />
            {CURRENT_TEXT[status] ?? "Checking…"}
          </p>
        )}
      </div>
      {pollTrouble ? (
        <Alert tone="warning" title="We lost touch with the server for a moment">
          We keep checking on our own; your verification carries on at OffBlocks.
        </Alert>
      ) : null}
    </StepPanel>
  );
}
