/**
 * Staff's view of the signed-in sessions: who is signed in where (live sessions, staff marked), and ending
 * them — one session, or every session of a wallet ("sign out everywhere"). Ending takes effect on every
 * instance at the next request (sessions are rows, lib/auth/sessions.ts); each action is a `staff_action`
 * event with the staff address.
 */
import { getAddress, type Address } from "viem";
import { z } from "zod";
import { endSession, endSessionsOf, listLiveSessions } from "../auth/sessions";
import type { Db } from "../db/client";
import { AppError } from "../errors";
import { staffAddress, staffAmong } from "./members";
import { recordStaffAction } from "./staff-action-event";

export interface StaffSession {
  id: string;
  address: Address;
  chainId: number;
  isStaff: boolean;
  signedInAt: string;
  expiresAt: string;
  userAgent: string | null;
  /** the session of the staff member asking */
  current: boolean;
}

/** `?address=` of the list, if any: a 20-byte hex address, else 400 `invalid_address`. */
export function parseSessionsQuery(params: URLSearchParams): { address?: Address } {
  const raw = params.get("address");
  if (raw === null || raw === "") return {};
  const address = staffAddress(raw);
  if (!address) throw new AppError("invalid_address", 400, "address must be a wallet address (0x followed by 40 hex digits).");
  return { address };
}

export async function listSessions(
  db: Db,
  options: { address?: Address; currentSessionId?: string; configuredStaff: readonly Address[] },
  now: Date = new Date(),
): Promise<{ items: StaffSession[] }> {
  const sessions = await listLiveSessions(db, now, { address: options.address, limit: 500 });
  const staffWallets = await staffAmong(
    db,
    sessions.map((s) => s.address),
    options.configuredStaff,
  );
  return {
    items: sessions.map((s) => ({
      id: s.id,
      address: s.address,
      chainId: s.chainId,
      isStaff: staffWallets.has(s.address),
      signedInAt: s.signedInAt.toISOString(),
      expiresAt: s.expiresAt.toISOString(),
      userAgent: s.userAgent,
      current: s.id === options.currentSessionId,
    })),
  };
}

export const EndSessionsBodySchema = z.union([
  z.object({ sessionId: z.uuid("sessionId must be a session id") }).strict(),
  z.object({ address: z.string().refine((v) => staffAddress(v) !== undefined, "address must be a wallet address") }).strict(),
]);
export type EndSessionsBody = z.infer<typeof EndSessionsBodySchema>;

/** Ends one session (404 `session_not_found` when it is not live) or every session of a wallet; `{ended}`. */
export async function endSessions(db: Db, staff: Address, body: EndSessionsBody, now: Date = new Date()): Promise<{ ended: number }> {
  if ("sessionId" in body) {
    if (!(await endSession(db, body.sessionId, "staff", now, staff))) {
      throw new AppError("session_not_found", 404, "No live session has this id (it may have ended already).");
    }
    await recordStaffAction(db, { staff, action: "session_end", data: { sessionId: body.sessionId } });
    return { ended: 1 };
  }
  const address = getAddress(body.address);
  const ended = await endSessionsOf(db, address, "staff", now, staff);
  await recordStaffAction(db, { staff, action: "sessions_end_all", data: { address, ended } });
  return { ended };
}
