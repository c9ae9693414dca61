/**
 * The staff's reads of the onboarding tables: the filtered list (newest first, keyset pagination on
 * (created_at, id) — never OFFSET), one onboarding with its full event timeline, and the events after a
 * given id (the live stream). The metrics are in metrics.ts. Read-only: lib/onboarding stays the only writer.
 */
import { and, asc, desc, eq, getTableColumns, gt, gte, inArray, lt, sql, type SQL } from "drizzle-orm";
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
  for (const step of await db.select().from(onboardingSteps).where(inArray(onboardingSteps.onboardingId, [...ids]))) {
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

/** The events after `afterId`, oldest first, at most `limit`. */
export async function eventsAfter(db: Db, afterId: number, limit = 100): Promise<StaffEvent[]> {
  const rows = await db.select().from(onboardingEvents).where(gt(onboardingEvents.id, afterId)).orderBy(asc(onboardingEvents.id)).limit(limit);
  return rows.map(eventView);
}

/** The id of the newest event (0 when there is none). */
export async function lastEventId(db: Db): Promise<number> {
  const [row] = await db.select({ id: sql<string | number | null>`max(${onboardingEvents.id})` }).from(onboardingEvents);
  return Number(row?.id ?? 0);
}
