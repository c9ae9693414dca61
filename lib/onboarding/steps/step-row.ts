/**
 * The one writer of a provider step's row in `onboarding_steps` (./offblocks.ts, ./unblock.ts, ./bloq.ts): in one
 * statement (data-modifying CTEs, so one round trip and atomic without BEGIN/COMMIT) it inserts the step's first
 * row or updates it, applies the patch, records the step's `status_change` event when the status moves
 * (../events.ts), and touches the onboarding row (its `updated_at`, its email, and its own status where the step
 * decides it, with that status_change event after the step's).
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
 * The onboarding row is locked at its latest version (`select … for update`, only where the step's write landed),
 * updated from it (`updated_at`, the status mapped in SQL from the caller's rule) and answered with the step's row
 * (`writeWithOnboarding`), so the caller goes on without loading either again. Columns the events' triggers keep
 * (offblocks_verified_at) are answered as they stood before this write. An onboarding deleted meanwhile leaves
 * nothing written: a first row fails its foreign key (404 onboarding_not_found), a later one is gone with it.
 */
import { and, eq, isNull, sql, type SQL } from "drizzle-orm";
import type { Db } from "../../db/client";
import { FOREIGN_KEY_VIOLATION, postgresErrorCode } from "../../db/error-code";
import { returnedColumns } from "../../db/returned-columns";
import { onboardings, onboardingSteps } from "../../db/schema";
import { AppError } from "../../errors";
import { statusEventsCte, type EventProvider } from "../events";
import { ONBOARDING_STATUSES, type OnboardingStatus } from "../types";
import { ONBOARDING_COLUMNS, STEP_COLUMNS, type OnboardingRow, type StepRow } from "./step-types";

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

/** The `details` assignment of an update (none when the patch leaves them). */
function detailsSet(patch: StepPatch): { details?: SQL | Record<string, unknown> } {
  const details = detailsAfter(patch);
  return details === undefined ? {} : { details };
}

/** The onboarding's status after a step's move: its current one mapped in SQL (a stored status we do not know reads as pending). */
function statusAfter(next: ((current: OnboardingStatus) => OnboardingStatus) | undefined): SQL {
  const column = sql`${onboardings.status}`;
  if (!next || ONBOARDING_STATUSES.every((status) => next(status) === status)) return column;
  const unknown = next("pending") === "pending" ? column : sql`${next("pending")}::text`;
  const cases = ONBOARDING_STATUSES.map((status) => sql`when ${status}::text then ${next(status)}::text`);
  return sql`case ${column} ${sql.join(cases, sql` `)} else ${unknown} end`;
}

const onboardingGone = () => new AppError("onboarding_not_found", 404, "This onboarding no longer exists.");

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
    const written = read
      ? db
          .update(onboardingSteps)
          .set({ status: change.to, ...columns, ...detailsSet(patch), updatedAt: at })
          .where(
            and(
              isStep(onboardingId),
              eq(onboardingSteps.status, read.status),
              read.challenge === null ? isNull(onboardingSteps.challenge) : eq(onboardingSteps.challenge, read.challenge),
            ),
          )
          .returning()
      : db
          .insert(onboardingSteps)
          .values({ onboardingId, provider, status: change.to, ...columns, details: firstDetails(patch), createdAt: at, updatedAt: at })
          .onConflictDoNothing()
          .returning();
    const from = read?.status ?? "not_started";
    const stepEvent = from !== change.to || change.forceEvent ? { from, to: change.to, cause: change.cause, ...change.eventData } : undefined;

    const step = db.$with("written_step", STEP_COLUMNS).as(written.getSQL());
    // the onboarding row, locked at its latest version, only where the step's write landed
    const locked = db
      .$with("locked_onboarding", { id: onboardings.id, status: onboardings.status })
      .as(
        sql`select ${onboardings.id}, ${onboardings.status} from ${onboardings} where ${onboardings.id} = ${onboardingId} and exists (select 1 from ${step}) for update`,
      );
    const touched = db
      .$with("touched_onboarding", { ...ONBOARDING_COLUMNS, previousStatus: sql<string>`previous_status`.as("previous_status") })
      .as(
        sql`update ${onboardings} set ${sql.identifier(onboardings.updatedAt.name)} = ${at}, ${sql.identifier(onboardings.status.name)} = ${statusAfter(change.onboardingStatus)}${
          change.email === undefined ? sql`` : sql`, ${sql.identifier(onboardings.email.name)} = ${change.email}`
        } from ${locked} where ${onboardings.id} = ${sql.identifier("locked_onboarding")}.${sql.identifier("id")} returning ${onboardings}.*, ${sql.identifier("locked_onboarding")}.${sql.identifier("status")} as previous_status`,
      );
    // the step's status_change first, then the onboarding's (their ids in that order: the timeline's)
    const eventRows: SQL[] = [];
    if (stepEvent) {
      eventRows.push(
        sql`select ${onboardingId}::uuid as onboarding_id, ${provider}::text as provider, ${JSON.stringify(stepEvent)}::jsonb as data, 1 as position from ${step}`,
      );
    }
    if (change.onboardingStatus) {
      eventRows.push(
        sql`select id as onboarding_id, null::text as provider, jsonb_build_object('from', previous_status, 'to', status) as data, 2 as position from ${touched} where status <> previous_status`,
      );
    }
    const events = statusEventsCte(db, eventRows, at);
    let rows;
    try {
      rows = await db
        .with(step, locked, touched, ...(eventRows.length ? [events] : []))
        .select({ step: returnedColumns(step, STEP_COLUMNS), onboarding: returnedColumns(touched, ONBOARDING_COLUMNS) })
        .from(step)
        .leftJoin(touched, sql`true`);
    } catch (error) {
      // a first row for an onboarding deleted meanwhile: nothing was written
      if (postgresErrorCode(error) === FOREIGN_KEY_VIOLATION) throw onboardingGone();
      throw error;
    }
    const [row] = rows;
    if (!row) return undefined;
    // unreachable while the step row references its onboarding (and goes with it): the step is not left without one
    if (!row.onboarding) throw onboardingGone();
    return { step: row.step as StepRow, onboarding: row.onboarding as OnboardingRow };
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
