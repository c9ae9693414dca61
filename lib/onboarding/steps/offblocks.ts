/**
 * The OffBlocks step of an onboarding (provider "offblocks" in `onboarding_steps`): it follows the customer,
 * created with our onboarding id as externalId and the wallet's CAIP-10 id, its challenge decoded, checked and
 * stored; the wallet's signature verified here first and only then forwarded; the customer then followed
 * (polled, at most once per `followIntervalMs` per onboarding) through screening → verifying → active or
 * rejected. Every OffBlocks call, status change and error is an event — except a follow-up poll that finds
 * nothing new, which would only flood the log. The step's moves also move the onboarding's own status.
 *
 * A signature refused (by us or by OffBlocks) answers 400 `signature_invalid`, an expired challenge 410
 * `challenge_expired`; both carry the onboarding with the challenge to sign now in `details.onboarding`.
 * OffBlocks being down answers its own AppError (502 `offblocks_unavailable`, …) and loses nothing: the
 * next call repeats the provider call under the same idempotency key.
 *
 * Besides the page's polls and the webhooks, a customer is followed in the background (lib/jobs): the
 * `scheduleFollow` hook is told when a customer is created or a signature accepted, and each background
 * follow-up (`followOffblocksCustomer`) re-fetches the customer the way a webhook does — never backwards; both
 * live in ./offblocks-follow-ups.ts. The step's row is written by ./step-row.ts (compare-and-set).
 */
import type { Logger } from "pino";
import type { Address, Hex } from "viem";
import type { Db } from "../../db/client";
import { AppError } from "../../errors";
import type { Challenge, Customer, OffblocksApi } from "../../providers/offblocks";
import type { OffblocksOperation } from "../events";
import { assertIssuedChallenge, encodeChallenge, verifyChallengeSignature, type ChallengeExpectations } from "../offblocks-challenge";
import type { CustomerHint, CustomerUpdateResult } from "../offblocks-webhook";
import { FOLLOWED_STEP_STATUSES, PAST_CHALLENGE_STEP_STATUSES, offblocksStepStatus as stepStatus, onboardingStatusFor, stepStatusOf } from "../status";
import type { OffblocksStepStatus, OffblocksStepView, OnboardingView } from "../types";
import { createOffblocksFollowUps, customerFacts, type FollowedOnboarding, type FollowUpResult } from "./offblocks-follow-ups";
import { recordedCalls } from "./recorded-calls";
import { stepRows } from "./step-row";
import { OFFBLOCKS, type OnboardingKey, type OnboardingRow, type State, type StepRow } from "./step-types";

export { OFFBLOCKS } from "./step-types";
export type { FollowedOnboarding, FollowUpResult } from "./offblocks-follow-ups";
export const DEFAULT_FOLLOW_INTERVAL_MS = 2_000;

/** What the step needs of the OffBlocks client (lib/providers/offblocks). */
export type OffblocksStepClient = Pick<OffblocksApi, "createCustomer" | "getCustomer" | "getChallenge" | "signChallenge">;

const caip10 = (onboarding: OnboardingRow) => `eip155:${onboarding.chainId}:${onboarding.address}`;

/** The OffBlocks step of the onboarding object: its status, customer and the challenge to sign now. */
export function offblocksView(step: StepRow | undefined): OffblocksStepView {
  const status = stepStatus(step);
  const view: OffblocksStepView = { status };
  if (step?.externalId) view.customerId = step.externalId;
  if (status === "challenge_issued" && step?.challenge && step.challengeExpiresAt) {
    view.challenge = { message: step.challenge, expiresAt: step.challengeExpiresAt.toISOString() };
  }
  return view;
}

export interface OffblocksOperations {
  /** The onboarding with its customer: followed when it exists, created when it does not yet (OffBlocks was down earlier). */
  withCustomer(state: State): Promise<State>;
  /** Fetches the current OffBlocks challenge (a fresh one once the previous expired or failed). */
  refreshChallenge(address: Address): Promise<OnboardingView>;
  /** Verifies the wallet's signature of the challenge, then forwards it to OffBlocks. */
  submitOffblocksSignature(address: Address, signature: Hex): Promise<OnboardingView>;
  /**
   * A `customer.updated` webhook's hint (../offblocks-webhook.ts): re-fetches the customer from OffBlocks and
   * applies its status, never moving the step backwards. Throws (the provider's AppError) when the re-fetch
   * fails, so the caller answers 5xx and OffBlocks retries. A `hint` that would not move the step spares the re-fetch.
   */
  applyOffblocksCustomerUpdate(customerId: string, hint?: CustomerHint): Promise<CustomerUpdateResult>;
  /**
   * One background follow-up (lib/jobs): re-fetches the customer and applies its status, never moving the step
   * backwards. Throws the provider's AppError when the re-fetch fails.
   */
  followOffblocksCustomer(onboardingId: string): Promise<FollowUpResult>;
  /** The onboardings still followed (BACKGROUND_FOLLOWED_STEP_STATUSES), by id after `after`, `limit` at a time. */
  followedOnboardings(after: string | null, limit: number): Promise<FollowedOnboarding[]>;
}

export interface OffblocksStepOptions {
  db: Db;
  offblocks: OffblocksStepClient;
  /** OFFBLOCKS_BASE_URL: the host its challenges must name */
  offblocksBaseUrl: string;
  now: () => Date;
  logger: Logger;
  followIntervalMs: number;
  /** asks for a background follow-up soon (lib/jobs); a failure is logged only */
  scheduleFollow?: (onboardingId: string) => Promise<void>;
  /** the onboarding with its steps, by wallet, id or customer, if there is one (one query) */
  find: (key: OnboardingKey) => Promise<State | undefined>;
  /** the same, 404 `onboarding_not_found` when it has none */
  load: (address: Address) => Promise<State>;
  view: (state: State) => OnboardingView;
}

export function createOffblocksStep(options: OffblocksStepOptions): OffblocksOperations {
  const { db, offblocks, now, logger: log, followIntervalMs, find, load, view } = options;
  const reload = (state: State) => load(state.onboarding.address as Address);
  /** onboarding id → when its customer was last fetched (this process) */
  const lastFollow = new Map<string, number>();
  /** onboardings whose last follow-up failed (its error is recorded once, not on every poll) */
  const followFailing = new Set<string>();

  async function followSoon(onboardingId: string): Promise<void> {
    if (!options.scheduleFollow) return;
    try {
      await options.scheduleFollow(onboardingId);
    } catch (error) {
      log.warn({ onboardingId, err: error instanceof Error ? error.message : String(error) }, "background follow-up not scheduled (the recovery will)");
    }
  }

  const expectationsFor = (onboarding: OnboardingRow): ChallengeExpectations => ({
    offblocksBaseUrl: options.offblocksBaseUrl,
    address: onboarding.address as Address,
    chainId: onboarding.chainId,
  });

  // ---- events ----

  const calls = recordedCalls<OffblocksOperation>({ db, provider: OFFBLOCKS, name: "OffBlocks", now, logger: log });

  /** An OffBlocks call, recorded whatever its outcome, with the customer it answered (when it did). */
  function call<T>(
    onboardingId: string,
    operation: OffblocksOperation,
    run: () => Promise<T>,
    customerOf: (result: T) => Customer | undefined = () => undefined,
  ) {
    return calls.call(onboardingId, operation, run, { of: (result) => customerFacts(customerOf(result)) });
  }

  // ---- writing ----

  const rows = stepRows({ db, provider: OFFBLOCKS, name: "OffBlocks", now });

  /**
   * Moves the step from where `state` read it to `to` (compare-and-set, ./step-row.ts: a concurrent change wins
   * and this one is dropped — undefined), with its status_change events and the onboarding's status; the state
   * as written: the onboarding and OffBlocks rows as this write left them, the Unblock and Bloq steps as `state`
   * read them (this write does not touch them). `patch` may set the customer and challenge; a status other than
   * challenge_issued clears the challenge.
   */
  async function transition(
    state: State,
    to: OffblocksStepStatus,
    cause: string,
    patch: { externalId?: string; challenge?: Challenge | null; details?: Record<string, unknown> } = {},
  ): Promise<State | undefined> {
    const challengeColumns =
      patch.challenge === undefined
        ? to === "challenge_issued"
          ? {}
          : { challenge: null, challengeExpiresAt: null }
        : { challenge: patch.challenge?.message ?? null, challengeExpiresAt: patch.challenge?.expiresAt ?? null };
    // a customer created anew (OffBlocks lost the first) is a change even when the status stays the same
    const newCustomer = Boolean(state.step?.externalId && patch.externalId && patch.externalId !== state.step.externalId);
    const written = await rows.writeWithOnboarding(state.onboarding.id, state.step, {
      to,
      cause,
      patch: { externalId: patch.externalId || undefined, ...challengeColumns, details: patch.details },
      ...(newCustomer ? { forceEvent: true, eventData: { customerId: patch.externalId } } : {}),
      onboardingStatus: (current) => onboardingStatusFor(current, to),
    });
    return written && { ...state, onboarding: written.onboarding, step: written.step };
  }

  /** Creates the OffBlocks customer (idempotent per onboarding) and stores its challenge or status. */
  async function createCustomer(state: State, cause: string): Promise<State> {
    const { customer, challenge } = await call(
      state.onboarding.id,
      "create_customer",
      () => offblocks.createCustomer({ onboardingId: state.onboarding.id, caip10: caip10(state.onboarding) }),
      (result) => result.customer,
    );
    const status = stepStatusOf(customer.status);
    let written: State | undefined;
    if (status === "challenge_issued") {
      const issued = challenge ?? (await call(state.onboarding.id, "get_challenge", () => offblocks.getChallenge(customer.id)));
      await checkIssued(state, issued);
      written = await transition(state, "challenge_issued", cause, { externalId: customer.id, challenge: issued });
    } else {
      written = await transition(state, status, cause, { externalId: customer.id, challenge: null });
    }
    await followSoon(state.onboarding.id);
    return written ?? reload(state);
  }

  async function checkIssued(state: State, challenge: Challenge): Promise<void> {
    try {
      assertIssuedChallenge(challenge, expectationsFor(state.onboarding));
    } catch (error) {
      if (error instanceof AppError) await calls.error(state.onboarding.id, { code: error.code, message: error.message, operation: "get_challenge" });
      throw error;
    }
  }

  /**
   * The challenge to sign now, stored. When OffBlocks no longer knows the customer (the sandbox restarted)
   * while the wallet is not verified yet, a new customer is created instead of leaving a dead end.
   */
  async function renewChallenge(state: State): Promise<State> {
    if (!state.step?.externalId) return createCustomer(state, "customer_created");
    const customerId = state.step.externalId;
    let challenge: Challenge;
    try {
      challenge = await call(state.onboarding.id, "get_challenge", () => offblocks.getChallenge(customerId));
    } catch (error) {
      if (error instanceof AppError && error.code === "offblocks_not_found") return createCustomer(state, "customer_lost_recreated");
      // the customer is past the challenge (verified meanwhile): take its status instead
      if (error instanceof AppError && error.code === "offblocks_invalid_state") return refetchCustomer(state, "customer_refetched");
      throw error;
    }
    await checkIssued(state, challenge);
    const sameChallenge = state.step.challenge === challenge.message;
    return (await transition(state, "challenge_issued", sameChallenge ? "challenge_unchanged" : "challenge_renewed", { challenge })) ?? reload(state);
  }

  /** Applies the customer's status as OffBlocks reports it. */
  async function applyCustomer(state: State, customer: Customer, cause: string): Promise<State> {
    const to = stepStatusOf(customer.status);
    if (to === stepStatus(state.step)) return state;
    if (to === "challenge_issued") return renewChallenge(state);
    return (await advance(state, to, cause)) ?? reload(state);
  }

  /**
   * `transition`, for a status OffBlocks reports: a step that jumps from challenge_issued past verified first
   * records that OffBlocks accepted the signature — its answer never reached us (every retry of
   * challenge/sign lost it) — so the timeline says so before it says where the customer is now.
   */
  async function advance(state: State, to: OffblocksStepStatus, cause: string, patch: { details?: Record<string, unknown> } = {}): Promise<State | undefined> {
    if (stepStatus(state.step) === "challenge_issued" && PAST_CHALLENGE_STEP_STATUSES.has(to) && to !== "verified") {
      const verified = await transition(state, "verified", "signature_accepted_answer_lost", { challenge: null });
      if (!verified) return undefined;
      state = verified;
    }
    return transition(state, to, cause, patch);
  }

  /** Fetches the customer now and applies its status. */
  async function refetchCustomer(state: State, cause: string): Promise<State> {
    const customerId = state.step?.externalId;
    if (!customerId) return state;
    const customer = await call(
      state.onboarding.id,
      "get_customer",
      () => offblocks.getCustomer(customerId),
      (result) => result,
    );
    return applyCustomer(state, customer, cause);
  }

  /**
   * Re-fetches the customer while OffBlocks is moving it on, or renews an expired challenge — at most once per
   * `followIntervalMs` per onboarding. A failure leaves the stored state as it is (this is a read).
   */
  async function follow(state: State): Promise<State> {
    const status = stepStatus(state.step);
    const customerId = state.step?.externalId;
    const challengeExpired = status === "challenge_issued" && (!state.step?.challengeExpiresAt || state.step.challengeExpiresAt.getTime() <= now().getTime());
    if (!customerId || (!FOLLOWED_STEP_STATUSES.has(status) && !challengeExpired)) return state;
    const id = state.onboarding.id;
    const at = now().getTime();
    if (at - (lastFollow.get(id) ?? Number.NEGATIVE_INFINITY) < followIntervalMs) return state;
    lastFollow.set(id, at);
    if (lastFollow.size > 10_000) for (const [key, when] of lastFollow) if (at - when > followIntervalMs) lastFollow.delete(key);

    try {
      if (challengeExpired) return await renewChallenge(state);
      let customer: Customer;
      try {
        customer = await offblocks.getCustomer(customerId);
      } catch (error) {
        // recorded once until a poll succeeds again, not on every poll
        if (!followFailing.has(id)) await calls.record(id, "get_customer", { error });
        throw error;
      }
      followFailing.delete(id);
      if (stepStatusOf(customer.status) === status) return state; // nothing new: no event
      await calls.record(id, "get_customer", { facts: customerFacts(customer) });
      return await applyCustomer(state, customer, "customer_followed");
    } catch (error) {
      if (error instanceof AppError && error.code === "offblocks_not_found" && !challengeExpired) {
        followFailing.delete(id);
        return createCustomer(state, "customer_lost_recreated");
      }
      followFailing.add(id);
      log.warn({ onboardingId: id, err: error instanceof Error ? error.message : String(error) }, "following the OffBlocks customer failed");
      return state;
    }
  }

  /** The refusal of a signature, with the onboarding (and the challenge to sign now) in its details. */
  function refusal(kind: "invalid" | "expired", state: State, message: string, reason?: string): AppError {
    const onboarding = view(state);
    return kind === "expired"
      ? new AppError("challenge_expired", 410, message, { onboarding })
      : new AppError("signature_invalid", 400, message, { ...(reason ? { reason } : {}), onboarding });
  }

  const followUps = createOffblocksFollowUps({ db, offblocks, calls, advance, find, reload, now });

  return {
    withCustomer: (state) => (state.step?.externalId ? follow(state) : createCustomer(state, "customer_created")),
    applyOffblocksCustomerUpdate: (customerId, hint) => followUps.applyOffblocksCustomerUpdate(customerId, { hint }),
    followOffblocksCustomer: followUps.followOffblocksCustomer,
    followedOnboardings: followUps.followedOnboardings,
    async refreshChallenge(address) {
      const state = await load(address);
      const status = stepStatus(state.step);
      if (status !== "challenge_issued" && status !== "not_started") {
        throw new AppError("challenge_not_awaited", 409, `OffBlocks is not waiting for a signature (the step is ${status}).`, {
          onboarding: view(state),
        });
      }
      return view(await renewChallenge(state));
    },

    async submitOffblocksSignature(address, signature) {
      const state = await load(address);
      const status = stepStatus(state.step);
      if (PAST_CHALLENGE_STEP_STATUSES.has(status)) return view(await follow(state)); // already verified (a repeated submission)
      if (status === "not_started" || !state.step?.externalId) {
        throw new AppError("offblocks_not_started", 409, "OffBlocks has no customer for this onboarding yet: start the onboarding again.", {
          onboarding: view(state),
        });
      }
      if (status !== "challenge_issued" || !state.step.challenge || !state.step.challengeExpiresAt) {
        throw new AppError("offblocks_closed", 409, `The OffBlocks step is ${status}: no signature can change it.`, { onboarding: view(state) });
      }
      const id = state.onboarding.id;
      const customerId = state.step.externalId;
      const stored = { message: state.step.challenge, expiresAt: state.step.challengeExpiresAt };

      const verdict = await verifyChallengeSignature(stored, signature, expectationsFor(state.onboarding), now());
      if (!verdict.ok && verdict.failure === "expired") {
        await calls.error(id, { code: "challenge_expired", message: "the challenge expired before it was signed" });
        throw refusal("expired", await renewChallenge(state), "The challenge expired; sign the new one.");
      }
      if (!verdict.ok && verdict.failure === "invalid") {
        // Never forwarded: the challenge OffBlocks holds is untouched and still the one to sign.
        await calls.error(id, { code: "signature_invalid", message: "signature refused before reaching OffBlocks", reason: verdict.reason });
        throw refusal(
          "invalid",
          state,
          `The signature does not match the challenge for ${state.onboarding.address}; sign it again with this wallet.`,
          verdict.reason,
        );
      }

      let customer: Customer;
      try {
        customer = await call(
          id,
          "sign_challenge",
          () =>
            offblocks.signChallenge({
              customerId,
              caip10: caip10(state.onboarding),
              challengeBase64: encodeChallenge(stored.message),
              signatureHex: signature,
            }),
          (result) => result,
        );
      } catch (error) {
        if (!(error instanceof AppError)) throw error;
        if (error.code === "signature_invalid") {
          throw refusal("invalid", await renewChallenge(state), "OffBlocks did not accept the signature; sign the new challenge.", "refused_by_offblocks");
        }
        if (error.code === "challenge_expired" || error.code === "offblocks_not_found") {
          throw refusal("expired", await renewChallenge(state), "The challenge expired at OffBlocks; sign the new one.");
        }
        if (error.code === "offblocks_invalid_state") return view(await refetchCustomer(state, "customer_refetched"));
        throw error;
      }
      const verified = await transition(state, "verified", "signature_accepted", { challenge: null });
      const accepted = await applyCustomer(verified ?? (await reload(state)), customer, "signature_accepted");
      await followSoon(id);
      return view(accepted);
    },
  };
}
