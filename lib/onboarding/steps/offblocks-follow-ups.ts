/**
 * The OffBlocks customer followed from outside the page (./offblocks.ts puts it into the step): a
 * `customer.updated` webhook's hint and the background follow-ups (lib/jobs) both re-fetch the customer and
 * apply its status — never backwards (../offblocks-webhook.ts) — and the list of onboardings still followed.
 */
import { and, asc, eq, gt, inArray, or } from "drizzle-orm";
import type { Db } from "../../db/client";
import { onboardingSteps } from "../../db/schema";
import { AppError } from "../../errors";
import type { Customer, OffblocksApi } from "../../providers/offblocks";
import type { OffblocksOperation } from "../events";
import { CUSTOMER_UPDATED_AT_DETAIL, isStaleCustomer, type CustomerHint, type CustomerUpdateResult } from "../offblocks-webhook";
import { FOLLOWED_STEP_STATUSES, isFollowedInBackground, offblocksStepStatus as stepStatus, stepStatusOf } from "../status";
import type { OffblocksStepStatus } from "../types";
import type { RecordedCalls } from "./recorded-calls";
import { OFFBLOCKS, type OnboardingKey, type State } from "./step-types";

/** What one background follow-up found: the step's status now, whether it moved, whether to follow on. */
export interface FollowUpResult {
  status: OffblocksStepStatus;
  changed: boolean;
  /** true: nothing left to follow (final, no customer, challenge expired, onboarding gone) */
  done: boolean;
}

/** An onboarding the background follow-ups should be following, and when its step last changed. */
export interface FollowedOnboarding {
  onboardingId: string;
  updatedAt: Date;
}

/** The customer's facts in a `provider_call` event. */
export const customerFacts = (customer: Customer | undefined) => (customer ? { customerId: customer.id, customerStatus: customer.status } : undefined);

export interface OffblocksFollowUps {
  /** ../offblocks-webhook.ts: re-fetch and apply (`cause` customer_webhook unless a follow-up says otherwise). */
  applyOffblocksCustomerUpdate(customerId: string, options?: { cause?: string; hint?: CustomerHint }): Promise<CustomerUpdateResult>;
  followOffblocksCustomer(onboardingId: string): Promise<FollowUpResult>;
  followedOnboardings(after: string | null, limit: number): Promise<FollowedOnboarding[]>;
}

export interface OffblocksFollowUpsOptions {
  db: Db;
  offblocks: Pick<OffblocksApi, "getCustomer">;
  calls: RecordedCalls<OffblocksOperation>;
  /** the step's move to a status OffBlocks reports: the state written (compare-and-set: undefined when a concurrent change won) */
  advance: (state: State, to: OffblocksStepStatus, cause: string, patch: { details?: Record<string, unknown> }) => Promise<State | undefined>;
  /** the onboarding with its steps, by wallet, id or customer, if there is one (one query) */
  find: (key: OnboardingKey) => Promise<State | undefined>;
  reload: (state: State) => Promise<State>;
  now: () => Date;
}

export function createOffblocksFollowUps(options: OffblocksFollowUpsOptions): OffblocksFollowUps {
  const { db, offblocks, calls, advance, find, reload, now } = options;

  /** The onboarding whose OffBlocks step follows this customer. */
  const loadByCustomer = (customerId: string) => find({ offblocksCustomerId: customerId });

  /**
   * Re-fetches the customer and applies its status unless that would move the step backwards (a webhook's
   * hint, or a background follow-up: `cause` says which). Answers the outcome and, where this knows it without
   * loading again, the onboarding as it now stands. `loaded`: the onboarding as the caller just read it.
   */
  async function update(
    customerId: string,
    { cause = "customer_webhook", hint, loaded }: { cause?: string; hint?: CustomerHint; loaded?: State },
  ): Promise<{ result: CustomerUpdateResult; state?: State }> {
    // a concurrent change of the step between our read and our write makes the write a no-op (compare-and-set):
    // read, re-fetch and decide again
    for (let attempt = 0; ; attempt++) {
      const state = attempt === 0 && loaded ? loaded : await loadByCustomer(customerId);
      if (!state) return { result: { outcome: "ignored", reason: "unknown_customer" } };
      const id = state.onboarding.id;
      // the delivery says nothing new (the status the step has, or an older one): no need to ask OffBlocks
      if (attempt === 0 && hint?.externalId === id) {
        const [from, to] = [stepStatus(state.step), stepStatusOf(hint.status)];
        if (from === to) return { result: { outcome: "unchanged", onboardingId: id, from, to }, state };
        if (isStaleCustomer(from, hint, state.step?.details)) return { result: { outcome: "stale", onboardingId: id, from, to }, state };
      }
      let customer: Customer;
      try {
        customer = await offblocks.getCustomer(customerId);
      } catch (error) {
        if (error instanceof AppError && error.code === "offblocks_not_found") {
          return { result: { outcome: "ignored", onboardingId: id, reason: "customer_not_found" } };
        }
        await calls.record(id, "get_customer", { error });
        throw error;
      }
      if (customer.externalId !== id) return { result: { outcome: "ignored", onboardingId: id, reason: "not_ours" } };
      const from = stepStatus(state.step);
      const to = stepStatusOf(customer.status);
      if (from === to) return { result: { outcome: "unchanged", onboardingId: id, from, to }, state };
      if (isStaleCustomer(from, customer, state.step?.details)) return { result: { outcome: "stale", onboardingId: id, from, to }, state };
      await calls.record(id, "get_customer", { facts: customerFacts(customer) });
      const moved = await advance(state, to, cause, { details: { [CUSTOMER_UPDATED_AT_DETAIL]: customer.updatedAt } });
      if (moved) return { result: { outcome: "applied", onboardingId: id, from, to }, state: moved };
      if (attempt >= 2) return { result: { outcome: "stale", onboardingId: id, from, to } };
    }
  }

  async function applyOffblocksCustomerUpdate(customerId: string, options: { cause?: string; hint?: CustomerHint } = {}): Promise<CustomerUpdateResult> {
    return (await update(customerId, options)).result;
  }

  async function followOffblocksCustomer(onboardingId: string): Promise<FollowUpResult> {
    const state = await find({ onboardingId });
    const status = stepStatus(state?.step);
    const customerId = state?.step?.externalId;
    if (!state || !customerId || !isFollowedInBackground(status, state.step?.challengeExpiresAt, now())) return { status, changed: false, done: true };
    const { result, state: known } = await update(customerId, { cause: "customer_followed_in_background", loaded: state });
    if (result.outcome === "ignored") return { status, changed: false, done: true };
    const after = known ?? (await reload(state));
    const current = stepStatus(after.step);
    return { status: current, changed: current !== status, done: !isFollowedInBackground(current, after.step?.challengeExpiresAt, now()) };
  }

  async function followedOnboardings(after: string | null, limit: number): Promise<FollowedOnboarding[]> {
    const followed = or(
      inArray(onboardingSteps.status, [...FOLLOWED_STEP_STATUSES]),
      and(eq(onboardingSteps.status, "challenge_issued"), gt(onboardingSteps.challengeExpiresAt, now())),
    );
    return db
      .select({ onboardingId: onboardingSteps.onboardingId, updatedAt: onboardingSteps.updatedAt })
      .from(onboardingSteps)
      .where(and(eq(onboardingSteps.provider, OFFBLOCKS), followed, after ? gt(onboardingSteps.onboardingId, after) : undefined))
      .orderBy(asc(onboardingSteps.onboardingId))
      .limit(limit);
  }

  return { applyOffblocksCustomerUpdate, followOffblocksCustomer, followedOnboardings };
}
