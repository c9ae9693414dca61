/**
 * What a `customer.updated` webhook may do to the OffBlocks step. The webhook is only a hint: the service
 * re-fetches the customer (./steps/offblocks.ts `applyOffblocksCustomerUpdate`) and applies its status unless it is
 * older than what the step already holds — deliveries arrive late, twice and out of order, and two of them
 * may be processed side by side, so a re-fetched state must never move the step backwards.
 */
import type { Customer } from "../providers/offblocks";
import { stepStatusOf } from "./status";
import type { OffblocksStepStatus } from "./types";

export type CustomerUpdateOutcome =
  /** the step moved to the customer's status (a status_change event) */
  | "applied"
  /** the step already had the customer's status */
  | "unchanged"
  /** the re-fetched customer is older than what the step holds: nothing changed */
  | "stale"
  /** not one of ours (no onboarding has this customer, or OffBlocks no longer knows it) */
  | "ignored";

export interface CustomerUpdateResult {
  outcome: CustomerUpdateOutcome;
  onboardingId?: string;
  from?: OffblocksStepStatus;
  to?: OffblocksStepStatus;
  /** why an update was ignored */
  reason?: "unknown_customer" | "customer_not_found" | "not_ours";
}

/**
 * What a delivery says the customer is now. Only ever used to skip work: a hint that would not move the step
 * (the status it already has, or an older one) is answered without asking OffBlocks again; anything else is
 * re-fetched. A hint never moves the step itself. So a late delivery no longer catches a step up by its re-fetch;
 * every real change has a delivery of its own, and the background follow-ups (lib/jobs) poll the rest.
 */
export type CustomerHint = Pick<Customer, "status" | "updatedAt" | "externalId">;

/** The key, in the OffBlocks step's `details`, of the customer's `updatedAt` last applied from a webhook. */
export const CUSTOMER_UPDATED_AT_DETAIL = "customerUpdatedAt";

/** The step's progress: a move to a lower rank is a move backwards. */
const RANK: Record<OffblocksStepStatus, number> = {
  not_started: 0,
  challenge_issued: 1,
  verified: 2,
  screening: 3,
  verifying: 4,
  active: 5,
  rejected: 6,
  failed: 6,
};

/**
 * True when applying `customer` to a step at `current` would move it backwards: the customer's `updatedAt`
 * is older than the last one applied, the step is final (rejected, failed), or the status ranks lower —
 * except active → inactive (the merchant deactivated the customer: the step goes back to `verified`).
 */
export function isStaleCustomer(
  current: OffblocksStepStatus,
  customer: Pick<Customer, "status" | "updatedAt">,
  details: Record<string, unknown> | null | undefined,
): boolean {
  const seen = details?.[CUSTOMER_UPDATED_AT_DETAIL];
  const seenAt = typeof seen === "string" ? Date.parse(seen) : Number.NaN;
  const at = Date.parse(customer.updatedAt);
  if (Number.isFinite(seenAt) && Number.isFinite(at) && at < seenAt) return true;
  const to = stepStatusOf(customer.status);
  if (current === "rejected" || current === "failed") return to !== current;
  if (current === "active" && customer.status === "inactive") return false;
  return RANK[to] < RANK[current];
}
