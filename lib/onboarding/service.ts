/**
 * The onboarding state machine — the only writer of `onboardings`, `onboarding_steps` and
 * `onboarding_events`. One onboarding per wallet (unique lower(address)), with one step per provider, each in
 * its own file under ./steps/: OffBlocks (the customer, its challenge and KYC; it also moves the onboarding's
 * status), Unblock and Bloq. This file loads an onboarding with its steps, creates it, builds its view and
 * puts the steps together into one service. Every provider call, status change and error is an event (./events.ts).
 */
import { and, eq, inArray, sql } from "drizzle-orm";
import type { Logger } from "pino";
import type { Address } from "viem";
import type { SecretBox } from "../crypto/secret-box";
import type { Db } from "../db/client";
import { returnedColumns } from "../db/returned-columns";
import { onboardings, onboardingSteps } from "../db/schema";
import { AppError } from "../errors";
import { logger as rootLogger } from "../log";
import { statusEventsCte } from "./events";
import { asOnboardingStatus } from "./status";
import { BLOQ, bloqView, createBloqStep, type BloqOperations, type BloqStepClient } from "./steps/bloq";
import {
  createOffblocksStep,
  DEFAULT_FOLLOW_INTERVAL_MS,
  OFFBLOCKS,
  offblocksView,
  type OffblocksOperations,
  type OffblocksStepClient,
} from "./steps/offblocks";
import { ONBOARDING_COLUMNS, type OnboardingKey, type OnboardingRow, type State } from "./steps/step-types";
import { createUnblockStep, settleUnblockExpiry, UNBLOCK, unblockView, type UnblockOperations, type UnblockStepOptions } from "./steps/unblock";
import type { OnboardingView } from "./types";

export type { OnboardingRow, State, StepRow } from "./steps/step-types";
export type { FollowedOnboarding, FollowUpResult } from "./steps/offblocks";
export { DEFAULT_FOLLOW_INTERVAL_MS, OFFBLOCKS } from "./steps/offblocks";

export interface OnboardingOwner {
  /** EIP-55 address of the signed-in wallet */
  address: Address;
  /** the chain the wallet signed in with (used when the onboarding is created) */
  chainId: number;
}

export interface OnboardingServiceOptions {
  db: Db;
  offblocks: OffblocksStepClient;
  /** OFFBLOCKS_BASE_URL: the host its challenges must name */
  offblocksBaseUrl: string;
  /** the Unblock client, the box that seals its session ids, and the check of wallet signatures (EIP-1271 too) */
  unblock?: UnblockStepOptions["unblock"];
  /** the Bloq Stake client and the box that seals the user's stake token */
  bloq?: { client: BloqStepClient; secretBox: SecretBox };
  logger?: Logger;
  /** our clock (tests move it) */
  now?: () => Date;
  followIntervalMs?: number;
  /**
   * Asks for a background follow-up of the onboarding soon (lib/jobs); called once its customer exists or its
   * signature was accepted. A failure is logged only: the jobs' recovery finds every followed step anyway.
   */
  scheduleFollow?: (onboardingId: string) => Promise<void>;
}

export interface OnboardingService extends Omit<OffblocksOperations, "withCustomer">, UnblockOperations, BloqOperations {
  /** Creates (created: true) or returns the wallet's onboarding, making sure its OffBlocks customer exists. */
  start(owner: OnboardingOwner): Promise<{ created: boolean; onboarding: OnboardingView }>;
  /** The wallet's onboarding (404 `onboarding_not_found`), after following the OffBlocks customer. */
  get(address: Address): Promise<OnboardingView>;
}

export function toView({ onboarding, step, unblock, bloq }: State, at: Date = new Date()): OnboardingView {
  return {
    id: onboarding.id,
    address: onboarding.address,
    chainId: onboarding.chainId,
    status: asOnboardingStatus(onboarding.status),
    createdAt: onboarding.createdAt.toISOString(),
    updatedAt: onboarding.updatedAt.toISOString(),
    steps: { offblocks: offblocksView(step), unblock: unblockView(unblock, at), bloq: bloqView(bloq) },
  };
}

export function createOnboardingService(options: OnboardingServiceOptions): OnboardingService {
  const { db } = options;
  const log = (options.logger ?? rootLogger()).child({ module: "onboarding" });
  const now = options.now ?? (() => new Date());
  const view = (state: State) => toView(state, now());

  /** The onboarding with its steps, in one query (a step row joined per provider; none when it has no step yet). */
  async function find(key: OnboardingKey): Promise<State | undefined> {
    const which =
      "address" in key
        ? sql`lower(${onboardings.address}) = ${key.address.toLowerCase()}`
        : "onboardingId" in key
          ? eq(onboardings.id, key.onboardingId)
          : sql`${onboardings.id} = (select ${onboardingSteps.onboardingId} from ${onboardingSteps}
              where ${onboardingSteps.provider} = ${OFFBLOCKS} and ${onboardingSteps.externalId} = ${key.offblocksCustomerId} limit 1)`;
    const rows = await db
      .select({ onboarding: onboardings, step: onboardingSteps })
      .from(onboardings)
      .leftJoin(onboardingSteps, and(eq(onboardingSteps.onboardingId, onboardings.id), inArray(onboardingSteps.provider, [OFFBLOCKS, UNBLOCK, BLOQ])))
      .where(which);
    const onboarding = rows[0]?.onboarding;
    if (!onboarding) return undefined;
    const step = (provider: string) => rows.find((row) => row.step?.provider === provider)?.step ?? undefined;
    return { onboarding, step: step(OFFBLOCKS), unblock: step(UNBLOCK), bloq: step(BLOQ) };
  }

  const load = (address: Address) => find({ address });

  async function mustLoad(address: Address): Promise<State> {
    const state = await load(address);
    if (!state) throw new AppError("onboarding_not_found", 404, "This wallet has not started an onboarding yet.");
    return state;
  }

  const reload = (state: State) => mustLoad(state.onboarding.address as Address);

  // ---- the steps ----

  const { withCustomer, ...offblocksOperations } = createOffblocksStep({
    db,
    offblocks: options.offblocks,
    offblocksBaseUrl: options.offblocksBaseUrl,
    now,
    logger: log,
    followIntervalMs: options.followIntervalMs ?? DEFAULT_FOLLOW_INTERVAL_MS,
    scheduleFollow: options.scheduleFollow,
    find,
    load: mustLoad,
    view,
  });

  const unblockOperations = createUnblockStep({
    db,
    unblock: options.unblock,
    now,
    logger: log,
    load: mustLoad,
    view,
  });

  const bloqOperations = createBloqStep({ db, bloq: options.bloq, now, logger: log, load: mustLoad, view });

  return {
    ...offblocksOperations,
    ...unblockOperations,
    ...bloqOperations,
    async start(owner) {
      let state = await load(owner.address);
      let created = false;
      if (!state) {
        const at = now();
        // the row and its first status_change in one statement (nothing inserted: no event)
        const row = db
          .insert(onboardings)
          .values({ address: owner.address, chainId: owner.chainId, status: "pending", createdAt: at, updatedAt: at })
          .onConflictDoNothing()
          .returning();
        const insertedRow = db.$with("inserted_onboarding", ONBOARDING_COLUMNS).as(row.getSQL());
        const event = sql`select id as onboarding_id, null::text as provider, ${JSON.stringify({ from: null, to: "pending" })}::jsonb as data, 1 as position from ${insertedRow}`;
        const [inserted] = (await db
          .with(insertedRow, statusEventsCte(db, [event], at))
          .select(returnedColumns(insertedRow, ONBOARDING_COLUMNS))
          .from(insertedRow)) as OnboardingRow[];
        created = inserted !== undefined;
        // a new onboarding has no step yet; one inserted concurrently by another request is loaded
        state = inserted ? { onboarding: inserted, step: undefined, unblock: undefined, bloq: undefined } : await mustLoad(owner.address);
      }
      state = await withCustomer(state);
      return { created, onboarding: view(state) };
    },

    async get(address) {
      const state = await settleUnblockExpiry({ db, now }, await mustLoad(address), reload);
      // An onboarding whose customer creation failed earlier (OffBlocks down) retries it here, so that a
      // 200 answer never shows a step that has not started.
      return view(await withCustomer(state));
    },
  };
}
