/**
 * The query parameters of the staff list, CSV and metrics routes, validated: anything unusable is a 400
 * with a code naming the parameter (`invalid_status`, `invalid_provider`, `invalid_time`, `invalid_range`,
 * `invalid_cursor`, `invalid_limit`, `invalid_query`, `invalid_stuck`).
 */
import { AppError } from "../errors";
import { ONBOARDING_STATUSES, type OnboardingStatus } from "../onboarding/types";

export const STAFF_PROVIDERS = ["offblocks", "unblock", "bloq"] as const;
export type StaffProvider = (typeof STAFF_PROVIDERS)[number];

export const DEFAULT_LIMIT = 50;
export const MAX_LIMIT = 200;

export interface TimeRange {
  /** inclusive */
  from?: Date;
  /** exclusive */
  to?: Date;
}

export interface ListFilters extends TimeRange {
  status?: OnboardingStatus;
  /** onboardings whose step at this provider has started */
  provider?: StaffProvider;
  /** a wallet address, an OffBlocks customer id or an email, matched whole and case-insensitively */
  q?: string;
  /** only onboardings whose OffBlocks challenge has waited for a signature over an hour */
  stuck?: boolean;
}

export interface Cursor {
  /** the row's created_at exactly as Postgres prints it in UTC, microseconds included */
  createdAt: string;
  id: string;
}

export interface ListQuery extends ListFilters {
  cursor?: Cursor;
  limit: number;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const CURSOR_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;
const ISO_TIME = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2}))?$/i;

const bad = (code: string, message: string) => new AppError(code, 400, message);

function single(params: URLSearchParams, name: string): string | undefined {
  const values = params.getAll(name);
  if (values.length > 1) throw bad("invalid_query", `${name} may be given once.`);
  const value = values[0];
  return value === undefined || value === "" ? undefined : value;
}

function time(params: URLSearchParams, name: "from" | "to"): Date | undefined {
  const value = single(params, name);
  if (value === undefined) return undefined;
  const date = new Date(value);
  if (!ISO_TIME.test(value) || !inDatabaseRange(date)) {
    throw bad("invalid_time", `${name} must be an ISO 8601 date or time with a zone, e.g. 2026-01-17T18:30:00Z.`);
  }
  return date;
}

/** Years 1 to 9999: what both JavaScript and Postgres read and print the same way (Postgres has no year 0). */
function inDatabaseRange(date: Date): boolean {
  const year = date.getUTCFullYear();
  return !Number.isNaN(date.getTime()) && year >= 1 && year <= 9999;
}

export function parseTimeRange(params: URLSearchParams): TimeRange {
  const from = time(params, "from");
  const to = time(params, "to");
  if (from && to && from.getTime() > to.getTime()) throw bad("invalid_range", "from must not be after to.");
  return { ...(from ? { from } : {}), ...(to ? { to } : {}) };
}

export function parseListFilters(params: URLSearchParams): ListFilters {
  const filters: ListFilters = parseTimeRange(params);
  const status = single(params, "status");
  if (status !== undefined) {
    if (!(ONBOARDING_STATUSES as readonly string[]).includes(status)) {
      throw bad("invalid_status", `status must be one of ${ONBOARDING_STATUSES.join(", ")}.`);
    }
    filters.status = status as OnboardingStatus;
  }
  const provider = single(params, "provider");
  if (provider !== undefined) {
    if (!(STAFF_PROVIDERS as readonly string[]).includes(provider)) {
      throw bad("invalid_provider", `provider must be one of ${STAFF_PROVIDERS.join(", ")}.`);
    }
    filters.provider = provider as StaffProvider;
  }
  const stuck = single(params, "stuck");
  if (stuck !== undefined) {
    if (stuck !== "true" && stuck !== "false") throw bad("invalid_stuck", "stuck must be true or false.");
    if (stuck === "true") filters.stuck = true;
  }
  const q = single(params, "q")?.trim();
  if (q) {
    if (q.length > 320) throw bad("invalid_query", "q is too long (at most 320 characters).");
    // control characters are refused (Postgres refuses NUL in text)
    if (/[\u0000-\u001f\u007f]/.test(q)) throw bad("invalid_query", "q must not contain control characters.");
    filters.q = q;
  }
  return filters;
}

/** A cursor time names a real instant: JavaScript prints it back the same (no 25:61 or February 30). */
function sameInstant(createdAt: string): boolean {
  const date = new Date(createdAt);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 23) === createdAt.slice(0, 23);
}

export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(`${cursor.createdAt}|${cursor.id}`, "utf8").toString("base64url");
}

export function decodeCursor(value: string): Cursor {
  const text = /^[A-Za-z0-9_-]{1,200}$/.test(value) ? Buffer.from(value, "base64url").toString("utf8") : "";
  const [createdAt, id, extra] = text.split("|");
  if (
    !createdAt ||
    !id ||
    extra !== undefined ||
    !CURSOR_TIME.test(createdAt) ||
    !inDatabaseRange(new Date(createdAt)) ||
    !sameInstant(createdAt) ||
    !UUID.test(id)
  ) {
    throw bad("invalid_cursor", "cursor is not one this API returned.");
  }
  return { createdAt, id: id.toLowerCase() };
}

export function parseListQuery(params: URLSearchParams): ListQuery {
  const query: ListQuery = { ...parseListFilters(params), limit: DEFAULT_LIMIT };
  const cursor = single(params, "cursor");
  if (cursor !== undefined) query.cursor = decodeCursor(cursor);
  const limit = single(params, "limit");
  if (limit !== undefined) {
    if (!/^\d{1,4}$/.test(limit) || Number(limit) < 1 || Number(limit) > MAX_LIMIT) {
      throw bad("invalid_limit", `limit must be a whole number from 1 to ${MAX_LIMIT}.`);
    }
    query.limit = Number(limit);
  }
  return query;
}
