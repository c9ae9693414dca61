/** How OffBlocks' customer status maps onto our step status, and the step onto the onboarding's status. */
import type { CustomerStatus } from "../providers/offblocks";
import type { StepRow } from "./steps/step-types";
import type { OffblocksStepStatus, OnboardingStatus } from "./types";

const BY_CUSTOMER_STATUS: Record<CustomerStatus, OffblocksStepStatus> = {
  initiating: "challenge_issued",
  screening: "screening",
  verifying: "verifying",
  active: "active",
  // deactivated by the merchant after being active: the wallet stays verified
  inactive: "verified",
  rejected: "rejected",
};

export function stepStatusOf(customerStatus: CustomerStatus): OffblocksStepStatus {
  return BY_CUSTOMER_STATUS[customerStatus];
}

/** Statuses OffBlocks moves on by itself: we follow the customer while the step is in one of them. */
export const FOLLOWED_STEP_STATUSES: ReadonlySet<OffblocksStepStatus> = new Set(["verified", "screening", "verifying"]);

/**
 * Statuses the background follow-ups (lib/jobs) keep checking until the step is final (active, rejected,
 * failed): those OffBlocks moves on by itself, and a challenge not yet expired — OffBlocks may have accepted
 * a signature whose answer never reached us. An expired challenge waits for the user to come back.
 */
export const BACKGROUND_FOLLOWED_STEP_STATUSES: ReadonlySet<OffblocksStepStatus> = new Set([...FOLLOWED_STEP_STATUSES, "challenge_issued"]);

export function isFollowedInBackground(status: OffblocksStepStatus, challengeExpiresAt: Date | null | undefined, at: Date): boolean {
  if (status === "challenge_issued") return challengeExpiresAt !== null && challengeExpiresAt !== undefined && challengeExpiresAt.getTime() > at.getTime();
  return BACKGROUND_FOLLOWED_STEP_STATUSES.has(status);
}

/** Statuses past the wallet challenge and still alive (a repeated signature submission just answers the onboarding). */
export const PAST_CHALLENGE_STEP_STATUSES: ReadonlySet<OffblocksStepStatus> = new Set(["verified", "screening", "verifying", "active"]);

export function isStepStatus(value: string): value is OffblocksStepStatus {
  return (
    value === "not_started" ||
    value === "challenge_issued" ||
    value === "verified" ||
    value === "screening" ||
    value === "verifying" ||
    value === "active" ||
    value === "rejected" ||
    value === "failed"
  );
}

/** The OffBlocks step's status as stored (no row yet, or anything unknown: `not_started`). */
export const offblocksStepStatus = (step: StepRow | undefined): OffblocksStepStatus => (step && isStepStatus(step.status) ? step.status : "not_started");

/** OffBlocks active → verified; rejected or failed → failed; otherwise unchanged (pending, or verified once reached). */
export function onboardingStatusFor(current: OnboardingStatus, step: OffblocksStepStatus): OnboardingStatus {
  if (step === "active") return "verified";
  if (step === "rejected" || step === "failed") return "failed";
  return current;
}

/** The onboarding's stored status as our type (anything unknown reads `pending`). */
export const asOnboardingStatus = (value: string): OnboardingStatus => (value === "verified" || value === "failed" ? value : "pending");
