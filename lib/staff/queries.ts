/**
 * The staff's reads of the onboarding tables: the filtered list (newest first, keyset pagination on
 * (created_at, id) — never OFFSET), one onboarding with its full event timeline, and the events after a
 * stream cursor (the live stream, stream.ts). The metrics are in metrics.ts. Read-only: lib/onboarding stays
 * the only writer.
 */
import { and, asc, desc, eq, getTableColumns, gte, inArray, lt, lte, sql, type SQL } from "drizzle-orm";
import type { Db } from "../db/client";
import { onboardingEvents, onboardings, onboardingSteps } from "../db/schema";
import { AppError } from "../errors";
import { toView, type OnboardingRow, type StepRow } from "../onboarding/service";
import type { OnboardingView } from "../onboarding/types";
import { decodeCursor, encodeCursor, type ListFilters, type ListQuery, type TimeRange } from "./filters";
import { STUCK_AFTER_MS } from "./metrics";

/** components/staff still imports the metrics' type from here; lib/staff (index.ts) exports it too. */

/** An onboarding as staff see it: the user's view plus the email the user gave. */
export interface StaffOnboarding extends OnboardingView {
  email: string | null;
}

export interface StaffEvent {
  id: number;
  onboardingId: string | null;
  /** provider_call | status_change | error | staff_action */
  type: string;
  provider: string | null;
  data: Record<string, unknown>;
  at: string;
}

export interface OnboardingPage {
  items: StaffOnboarding[];
  /** pass as `cursor` for the next page; null on the last page */
  nextCursor: string | null;
}

export interface StaffOnboardingDetail extends StaffOnboarding {
  events: StaffEvent[];
}

const CURSOR_TIME = sql<string>`to_char(${onboardings.createdAt} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

function rangeConditions(range: TimeRange): SQL[] {
  const conditions: SQL[] = [];
  if (range.from) conditions.push(gte(onboardings.createdAt, range.from));
  if (range.to) conditions.push(lt(onboardings.createdAt, range.to));
  return conditions;
}

function filterConditions(filters: ListFilters, at: Date): SQL[] {
  const conditions = rangeConditions(filters);
  if (filters.stuck) {
    const stuckBefore = new Date(at.getTime() - STUCK_AFTER_MS).toISOString();
    conditions.push(
      sql`exists (select 1 from ${onboardingSteps} where ${onboardingSteps.onboardingId} = ${onboardings.id} and ${onboardingSteps.provider} = 'offblocks' and ${onboardingSteps.status} = 'challenge_issued' and ${onboardingSteps.createdAt} < ${stuckBefore}::timestamptz)`,
    );
  }
  if (filters.status) conditions.push(eq(onboardings.status, filters.status));
  if (filters.provider) {
    conditions.push(
      sql`exists (select 1 from ${onboardingSteps} where ${onboardingSteps.onboardingId} = ${onboardings.id} and ${onboardingSteps.provider} = ${filters.provider} and ${onboardingSteps.status} <> 'not_started')`,
    );
  }
  if (filters.q) {
    const q = filters.q.toLowerCase();
    // `= any(array(…))` rather than `in (…)`: the subquery becomes an InitPlan, so the three matches are a
    // BitmapOr of index scans instead of a scan of every onboarding checked against a hashed subplan.
    conditions.push(
      sql`(lower(${onboardings.address}) = ${q} or lower(${onboardings.email}) = ${q} or ${onboardings.id} = any(array(select ${onboardingSteps.onboardingId} from ${onboardingSteps} where ${onboardingSteps.provider} = 'offblocks' and ${onboardingSteps.externalId} = ${filters.q})))`,
    );
  }
  return conditions;
}

async function stepsOf(db: Db, ids: readonly string[]): Promise<Map<string, StepRow[]>> {
  const byOnboarding = new Map<string, StepRow[]>();
  if (ids.length === 0) return byOnboarding;
  for (const step of await db
    .select()
    .from(onboardingSteps)
    .where(inArray(onboardingSteps.onboardingId, [...ids]))) {
    const list = byOnboarding.get(step.onboardingId) ?? [];
    list.push(step);
    byOnboarding.set(step.onboardingId, list);
  }
  return byOnboarding;
}

function staffView(onboarding: OnboardingRow, steps: readonly StepRow[], at: Date): StaffOnboarding {
  const of = (provider: string) => steps.find((s) => s.provider === provider);
  const view = toView({ onboarding, step: of("offblocks"), unblock: of("unblock"), bloq: of("bloq") }, at);
  return { ...view, email: onboarding.email ?? null };
}

export async function listOnboardings(db: Db, query: ListQuery, at: Date = new Date()): Promise<OnboardingPage> {
  const conditions = filterConditions(query, at);
  if (query.cursor) {
    conditions.push(sql`(${onboardings.createdAt}, ${onboardings.id}) < (${query.cursor.createdAt}::timestamptz, ${query.cursor.id}::uuid)`);
  }
  const rows = await db
    .select({ ...getTableColumns(onboardings), cursorTime: CURSOR_TIME })
    .from(onboardings)
    .where(and(...conditions))
    .orderBy(desc(onboardings.createdAt), desc(onboardings.id))
    .limit(query.limit + 1);
  const page = rows.slice(0, query.limit);
  const steps = await stepsOf(
    db,
    page.map((r) => r.id),
  );
  const items = page.map((row) => staffView(row, steps.get(row.id) ?? [], at));
  const last = page[page.length - 1];
  const nextCursor = rows.length > query.limit && last ? encodeCursor({ createdAt: last.cursorTime, id: last.id }) : null;
  return { items, nextCursor };
}

/** Every page of the filtered list, newest first (the CSV export). */
export async function* allOnboardings(db: Db, filters: ListFilters, pageSize = 500, at: Date = new Date()): AsyncGenerator<StaffOnboarding> {
  let query: ListQuery = { ...filters, limit: pageSize };
  for (;;) {
    const page = await listOnboardings(db, query, at);
    yield* page.items;
    if (!page.nextCursor) return;
    query = { ...query, cursor: decodeCursor(page.nextCursor) };
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function eventView(row: typeof onboardingEvents.$inferSelect): StaffEvent {
  return { id: row.id, onboardingId: row.onboardingId, type: row.type, provider: row.provider, data: row.data, at: row.at.toISOString() };
}

/** One onboarding with its full timeline (oldest event first); 404 `onboarding_not_found`. */
export async function onboardingDetail(db: Db, id: string, at: Date = new Date()): Promise<StaffOnboardingDetail> {
  const notFound = new AppError("onboarding_not_found", 404, "No onboarding has this id.");
  if (!UUID.test(id)) throw notFound;
  const [row] = await db.select().from(onboardings).where(eq(onboardings.id, id.toLowerCase())).limit(1);
  if (!row) throw notFound;
  const steps = await db.select().from(onboardingSteps).where(eq(onboardingSteps.onboardingId, row.id));
  const events = await db.select().from(onboardingEvents).where(eq(onboardingEvents.onboardingId, row.id)).orderBy(asc(onboardingEvents.id));
  return { ...staffView(row, steps, at), events: events.map(eventView) };
}

/**
 * A place in the live stream's order, (transaction id, event id): every event at or before it has been
 * delivered. Why this order never skips an event is in stream.ts.
 */
export interface StreamCursor {
  /** the writing transaction's id (xid8), decimal */
  tx: string;
  id: number;
}

export interface StreamedEvent {
  event: StaffEvent;
  cursor: StreamCursor;
}

/** Where a stream starts: after `cursor`, leaving out the events already committed in `snapshot` when set. */
export interface StreamStart {
  cursor: StreamCursor;
  /** the database's snapshot when a new stream opened (pg_snapshot text) */
  snapshot?: string;
}

/** What a reconnecting client says it saw: a stream cursor, or (from before the cursors) an event id. */
export type StreamResume = { cursor: StreamCursor } | { eventId: number };

/**
 * The events after `start.cursor` whose transactions have all ended (below the oldest transaction still
 * running), in (transaction, id) order, at most `limit`; those visible in `start.snapshot` are left out.
 */
export async function eventsAfter(db: Db, start: StreamStart, limit = 100): Promise<StreamedEvent[]> {
  const { tx, id } = onboardingEvents;
  const rows = await db
    .select()
    .from(onboardingEvents)
    .where(
      and(
        sql`(${tx}, ${id}) > (${start.cursor.tx}::xid8, ${start.cursor.id}::bigint)`,
        sql`${tx} < pg_snapshot_xmin(pg_current_snapshot())`,
        start.snapshot ? sql`not pg_visible_in_snapshot(${tx}, ${start.snapshot}::pg_snapshot)` : undefined,
      ),
    )
    .orderBy(asc(tx), asc(id))
    .limit(limit);
  return rows.map((row) => ({ event: eventView(row), cursor: { tx: row.tx, id: row.id } }));
}

/**
 * Where a stream starts. A resumed one continues after the client's cursor, or after the event it names (an
 * event id is what streams sent before the cursors; the greatest one up to that id if it is gone); a new one
 * — or one whose cursor this database never issued (a transaction id it has not reached: forged, or from
 * another cluster) — starts at the oldest running transaction, leaving out what had already committed when
 * it opened.
 */
export async function streamStart(db: Db, resume?: StreamResume): Promise<StreamStart> {
  const [now] = await db
    .select({
      xmin: sql<string>`pg_snapshot_xmin(s)::text`,
      xmax: sql<string>`pg_snapshot_xmax(s)::text`,
      snapshot: sql<string>`s::text`,
    })
    .from(sql`pg_current_snapshot() s`);
  if (!now) throw new Error("no snapshot");
  if (resume && "cursor" in resume && BigInt(resume.cursor.tx) <= BigInt(now.xmax)) return { cursor: resume.cursor };
  if (resume && "eventId" in resume) {
    const [row] = await db
      .select({ tx: onboardingEvents.tx, id: onboardingEvents.id })
      .from(onboardingEvents)
      .where(lte(onboardingEvents.id, resume.eventId))
      .orderBy(desc(onboardingEvents.id))
      .limit(1);
    // an event of a transaction still not below every running one: resume at the oldest running one instead,
    // which may repeat a few events but cannot miss one
    if (row) return { cursor: BigInt(row.tx) < BigInt(now.xmin) ? row : { tx: now.xmin, id: 0 } };
  }
  return { cursor: { tx: now.xmin, id: 0 }, snapshot: now.snapshot };
}
