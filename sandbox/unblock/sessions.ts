/**
 * Sessions: a uuid valid 4 hours on the sandbox clock, one live session per user (a new login, by either
 * way, ends the previous one). Refusals (ours): unknown or past its 4 h → 401 `session_expired`; ended by a
 * newer login while it would still be live → 403 `session_superseded`.
 */
import { randomUUID } from "node:crypto";
import { UNBLOCK_ERROR, UNBLOCK_LIFETIMES, type UnblockSession } from "@/lib/providers/unblock/types";
import type { SandboxClock } from "../controls/clock";
import { unblockError } from "./errors";
import type { UnblockState, UserRecord } from "./state";

export function startSession(state: UnblockState, clock: SandboxClock, user: UserRecord): UnblockSession {
  const id = randomUUID();
  state.sessions.set(id, { id, userUuid: user.uuid, expiresAt: clock.now() + UNBLOCK_LIFETIMES.sessionSeconds * 1000 });
  user.currentSessionId = id;
  return { user_uuid: user.uuid, unblock_session_id: id };
}

/** The user of a live session; throws 401 `session_expired` or 403 `session_superseded`. */
export function liveSessionUser(state: UnblockState, clock: SandboxClock, sessionId: string | undefined): UserRecord {
  if (sessionId === undefined || sessionId.trim() === "") {
    throw unblockError(401, UNBLOCK_ERROR.sessionExpired, "An unblock-session-id header is required; log in first");
  }
  const session = state.sessions.get(sessionId.trim());
  const user = session ? state.users.get(session.userUuid) : undefined;
  if (!session || !user || clock.now() >= session.expiresAt) {
    throw unblockError(401, UNBLOCK_ERROR.sessionExpired, "The session has expired or is unknown; log in again");
  }
  if (user.currentSessionId !== session.id) {
    throw unblockError(403, UNBLOCK_ERROR.sessionSuperseded, "A newer login ended this session; log in again");
  }
  return user;
}
