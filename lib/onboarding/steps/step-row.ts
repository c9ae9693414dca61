/**
 * The one writer of a provider step's row in `onboarding_steps` (./offblocks.ts, ./unblock.ts, ./bloq.ts): in one
 * transaction it inserts the step's first row or updates it, applies the patch, records the step's
 * `status_change` event when the status moves (../events.ts), and touches the onboarding row (its `updated_at`,
 * its email, and its own status where the step decides it, with that status_change event).
 *
 * Concurrency — compare-and-set, one strategy for every step: a write names the row it was decided from
 * (`read`, undefined when the step has no row yet) and lands only while the row still stands where that read
 * left it: the first row is inserted with `on conflict do nothing`, a later one updated `where status = read.status
 * and challenge is not distinct from read.challenge` — the step's version is where it stands (its status) and
 * the text awaiting a signature (single use: a spent or renewed challenge is a new version). Of two writers
 * from the same version exactly one wins (Postgres re-checks the condition on the row the winner committed);
 * the loser writes nothing, records no event and is told so (`write` answers undefined). It then reloads:
 * `settle` reads the row the winner wrote and asks the caller again what to write over it (or nothing: the
 * winner's row is the answer), at most `attempts` times, then 409 `<provider>_conflict`. No lock is held
 * between the read and the write, and no step is written last-writer-wins: a concurrent change is never lost.
 * `details` are merged into the stored object in SQL (`||`, `-` for dropped keys), so a write never drops
 * keys it did not name; `replaceDetails` sets the whole object.
 *
 * The onboarding row is locked and read in one statement (`update … set updated_at … returning *`), and answered
 * with the step's row (`writeWithOnboarding`), so the caller goes on without loading either again; its status is
 * written a second time only when the step moves it.
 */
import { and, eq, isNull, sql, type SQL } from "drizzle-orm";
import type { Db } from "../../db/client";
import { onboardings, onboardingSteps } from "../../db/schema";
import { AppError } from "../../errors";
import { recordEvent, type EventProvider } from "../events";
import { asOnboardingStatus } from "../status";
import type { OnboardingStatus } from "../types";
import type { OnboardingRow, StepRow } from "./step-types";

/** The columns a write sets; a field left out (undefined) keeps its stored value. */
export interface StepPatch {
  externalId?: string | null;
  challenge?: string | null;
  challengeExpiresAt?: Date | null;
  secret?: Buffer | null;
  secretExpiresAt?: Date | null;
  /** merged into the stored details (shallow) */
  details?: Record<string, unknown>;
  /** removed from the stored details */
  dropDetails?: readonly string[];
  /** the whole details object, instead of a merge */
  replaceDetails?: Record<string, unknown>;
}

/** What to write over the row a write was decided from. */
export interface StepChange {
  /** the step's status after the write (the same as before for a write that only patches) */
  to: string;
  /** why, in the status_change event */
  cause: string;
  patch?: StepPatch;
  /** more facts for the status_change event (e.g. the provider's new id) */
  eventData?: Record<string, unknown>;
  /** record the status_change event even though the status stays (a new customer for the same status) */
  forceEvent?: boolean;
  /** the onboarding's own status after this step's move, from its current one */
  onboardingStatus?: (current: OnboardingStatus) => OnboardingStatus;
  /** the onboarding's email (Unblock's form) */
  email?: string;
}

export interface StepRows {
  /** The step's row as stored now (undefined: none yet). */
  read(onboardingId: string): Promise<StepRow | undefined>;
  /** One compare-and-set from `read`: the row written, or undefined when a concurrent change won (nothing written). */
  write(onboardingId: string, read: StepRow | undefined, change: StepChange): Promise<StepRow | undefined>;
  /** `write`, answering also the onboarding row as the write left it (so the caller need not load it again). */
  writeWithOnboarding(onboardingId: string, read: StepRow | undefined, change: StepChange): Promise<{ step: StepRow; onboarding: OnboardingRow } | undefined>;
  /**
   * `write`, and when a concurrent change won, again from the row the winner wrote: `decide` says what to
   * write over it (undefined: nothing, the winner's row stands). Answers the row as it stands and whether this
   * write landed; 409 `<provider>_conflict` after `attempts` losses in a row.
   */
  settle(
    onboardingId: string,
    read: StepRow | undefined,
    decide: (row: StepRow | undefined) => StepChange | undefined,
    attempts?: number,
  ): Promise<{ row: StepRow | undefined; written: boolean }>;
}

export interface StepRowsOptions {
  db: Db;
  provider: EventProvider;
  /** the provider as messages name it, e.g. "Unblock" */
  name: string;
  now: () => Date;
}

const DEFAULT_ATTEMPTS = 3;

const definedOnly = (values: Record<string, unknown>) => Object.fromEntries(Object.entries(values).filter(([, value]) => value !== undefined));

/** The details column after the patch (an SQL expression over the stored value). */
function detailsAfter(patch: StepPatch): SQL | Record<string, unknown> | undefined {
  if (patch.replaceDetails) return patch.replaceDetails;
  if (!patch.details && !patch.dropDetails?.length) return undefined;
  let expression = sql`coalesce(${onboardingSteps.details}, '{}'::jsonb)`;
  if (patch.details) expression = sql`(${expression} || ${JSON.stringify(patch.details)}::jsonb)`;
  for (const key of patch.dropDetails ?? []) expression = sql`(${expression} - ${key}::text)`;
  return expression;
}

/** The details of a first row (nothing stored to merge into). */
function firstDetails(patch: StepPatch): Record<string, unknown> | null {
  if (patch.replaceDetails) return patch.replaceDetails;
  if (!patch.details) return null;
  const details = { ...patch.details };
  for (const key of patch.dropDetails ?? []) delete details[key];
  return details;
}

export function stepRows(options: StepRowsOptions): StepRows {
  const { db, provider, now } = options;
  const isStep = (onboardingId: string) => and(eq(onboardingSteps.onboardingId, onboardingId), eq(onboardingSteps.provider, provider));

  async function read(onboardingId: string): Promise<StepRow | undefined> {
    const [row] = await db.select().from(onboardingSteps).where(isStep(onboardingId)).limit(1);
    return row;
  }

  async function writeWithOnboarding(
    onboardingId: string,
    read: StepRow | undefined,
    change: StepChange,
  ): Promise<{ step: StepRow; onboarding: OnboardingRow } | undefined> {
    const at = now();
    const patch = change.patch ?? {};
    const columns = definedOnly({
      externalId: patch.externalId,
      challenge: patch.challenge,
      challengeExpiresAt: patch.challengeExpiresAt,
      secret: patch.secret,
      secretExpiresAt: patch.secretExpiresAt,
    });
    return db.transaction(async (tx) => {
      let written: StepRow | undefined;
      if (!read) {
        [written] = await tx
          .insert(onboardingSteps)
          .values({ onboardingId, provider, status: change.to, ...columns, details: firstDetails(patch), createdAt: at, updatedAt: at })
          .onConflictDoNothing()
          .returning();
      } else {
        const details = detailsAfter(patch);
        [written] = await tx
          .update(onboardingSteps)
          .set({ status: change.to, ...columns, ...(details === undefined ? {} : { details }), updatedAt: at })
          .where(
            and(
              isStep(onboardingId),
              eq(onboardingSteps.status, read.status),
              read.challenge === null ? isNull(onboardingSteps.challenge) : eq(onboardingSteps.challenge, read.challenge),
            ),
          )
          .returning();
      }
      if (!written) return undefined;

      const from = read?.status ?? "not_started";
      if (from !== change.to || change.forceEvent) {
        await recordEvent(tx, { onboardingId, type: "status_change", provider, data: { from, to: change.to, cause: change.cause, ...change.eventData }, at });
      }
      // locks the onboarding row and reads it in one statement
      let [touched] = await tx
        .update(onboardings)
        .set({ updatedAt: at, ...(change.email === undefined ? {} : { email: change.email }) })
        .where(eq(onboardings.id, onboardingId))
        .returning();
      // the onboarding is gone (deleted meanwhile): nothing of this write may stay (the error rolls it back)
      if (!touched) throw new AppError("onboarding_not_found", 404, "This onboarding no longer exists.");
      if (change.onboardingStatus) {
        const current = asOnboardingStatus(touched.status);
        const next = change.onboardingStatus(current);
        if (next !== current) {
          [touched] = await tx.update(onboardings).set({ status: next }).where(eq(onboardings.id, onboardingId)).returning();
          await recordEvent(tx, { onboardingId, type: "status_change", data: { from: current, to: next }, at });
        }
      }
      return { step: written, onboarding: touched! };
    });
  }

  const write = async (onboardingId: string, read: StepRow | undefined, change: StepChange) => (await writeWithOnboarding(onboardingId, read, change))?.step;

  return {
    read,
    write,
    writeWithOnboarding,
    async settle(onboardingId, first, decide, attempts = DEFAULT_ATTEMPTS) {
      let row = first;
      for (let attempt = 0; attempt < attempts; attempt++) {
        const change = decide(row);
        if (!change) return { row, written: false };
        const written = await write(onboardingId, row, change);
        if (written) return { row: written, written: true };
        row = await read(onboardingId);
      }
      throw new AppError(`${provider}_conflict`, 409, `The ${options.name} step changed at the same time; try again.`);
    },
  };
}
