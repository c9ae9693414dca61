/**
 * Server-side sessions (`auth_sessions`): a sign-in creates a row, the cookie carries its id (sealed, see
 * lib/session.ts), every request reads the row. A session is live while it has not ended and has not
 * expired; ending it — logout, a staff member, the wallet's removal from the staff table, a new sign-in in
 * the same browser — takes effect on every instance at the next request, since none of them keeps a copy.
 */
import { and, desc, eq, gt, isNull, lt, or, sql } from "drizzle-orm";
import { getAddress, type Address } from "viem";
import type { Db } from "../db/client";
import { authSessions } from "../db/schema";

/** A sign-in lasts a day. */
export const SESSION_TTL_SECONDS = 24 * 3600;
/** Ended and expired sessions stay listed this long, then are swept. */
const KEEP_ENDED_MS = 24 * 3600 * 1000;

export type SessionEndReason = "logout" | "replaced" | "staff" | "staff_removed";

export interface SessionRecord {
  id: string;
  address: Address;
  chainId: number;
  signedInAt: Date;
  expiresAt: Date;
  userAgent: string | null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** True when `value` can be a session id (anything else is not looked up). */
export const isSessionId = (value: unknown): value is string => typeof value === "string" && UUID.test(value);

function record(row: typeof authSessions.$inferSelect): SessionRecord {
  return {
    id: row.id,
    address: getAddress(row.address),
    chainId: row.chainId,
    signedInAt: row.signedInAt,
    expiresAt: row.expiresAt,
    userAgent: row.userAgent,
  };
}

export async function createSession(db: Db, input: { address: Address; chainId: number; userAgent?: string | null }, now: Date): Promise<SessionRecord> {
  const [row] = await db
    .insert(authSessions)
    .values({
      address: getAddress(input.address),
      chainId: input.chainId,
      signedInAt: now,
      expiresAt: new Date(now.getTime() + SESSION_TTL_SECONDS * 1000),
      userAgent: input.userAgent ? input.userAgent.slice(0, 200) : null,
    })
    .returning();
  return record(row!);
}

/** The live session with this id, if any. */
export async function liveSession(db: Db, id: string | undefined, now: Date): Promise<SessionRecord | undefined> {
  if (!isSessionId(id)) return undefined;
  const [row] = await db
    .select()
    .from(authSessions)
    .where(and(eq(authSessions.id, id), isNull(authSessions.endedAt), gt(authSessions.expiresAt, now)))
    .limit(1);
  return row ? record(row) : undefined;
}

/** Why a request's session is not a live one: none named, signed out (`logout`), ended otherwise (staff, replaced, removed, its chain dropped), or run out. */
export type NotSignedInReason = "none" | "signed_out" | "ended" | "expired";

/** The reason for the 401 of a request whose session (this id) is not live — asked only on that path. */
export async function notSignedInReason(db: Db, id: string | undefined, now: Date): Promise<NotSignedInReason> {
  if (!isSessionId(id)) return "none";
  const [row] = await db
    .select({ endedAt: authSessions.endedAt, endReason: authSessions.endReason, expiresAt: authSessions.expiresAt })
    .from(authSessions)
    .where(eq(authSessions.id, id))
    .limit(1);
  if (!row) return "none";
  if (row.endedAt) return row.endReason === "logout" ? "signed_out" : "ended";
  return row.expiresAt.getTime() <= now.getTime() ? "expired" : "ended";
}

const live = (now: Date) => and(isNull(authSessions.endedAt), gt(authSessions.expiresAt, now));

/** Ends one session; false when it was not live. */
export async function endSession(db: Pick<Db, "update">, id: string, reason: SessionEndReason, now: Date, endedBy?: Address): Promise<boolean> {
  if (!isSessionId(id)) return false;
  const rows = await db
    .update(authSessions)
    .set({ endedAt: now, endReason: reason, endedBy: endedBy ?? null })
    .where(and(eq(authSessions.id, id), live(now)))
    .returning({ id: authSessions.id });
  return rows.length > 0;
}

/** Ends every live session of a wallet ("sign out everywhere"); the number ended. */
export async function endSessionsOf(db: Pick<Db, "update">, address: Address, reason: SessionEndReason, now: Date, endedBy?: Address): Promise<number> {
  const rows = await db
    .update(authSessions)
    .set({ endedAt: now, endReason: reason, endedBy: endedBy ?? null })
    .where(and(sql`lower(${authSessions.address}) = ${address.toLowerCase()}`, live(now)))
    .returning({ id: authSessions.id });
  return rows.length;
}

/** Live sessions, newest sign-in first; of one wallet when `address` is given. */
export async function listLiveSessions(db: Db, now: Date, options: { address?: Address; limit?: number } = {}): Promise<SessionRecord[]> {
  const rows = await db
    .select()
    .from(authSessions)
    .where(and(live(now), options.address ? sql`lower(${authSessions.address}) = ${options.address.toLowerCase()}` : undefined))
    .orderBy(desc(authSessions.signedInAt), desc(authSessions.id))
    .limit(options.limit ?? 200);
  return rows.map(record);
}

/** Deletes sessions that ended or expired more than a day ago (kept that long for the staff page); answers how many. */
export async function sweepSessions(db: Db, now: Date): Promise<number> {
  const before = new Date(now.getTime() - KEEP_ENDED_MS);
  return (
    await db
      .delete(authSessions)
      .where(or(lt(authSessions.expiresAt, before), lt(authSessions.endedAt, before)))
      .returning({ id: authSessions.id })
  ).length;
}
