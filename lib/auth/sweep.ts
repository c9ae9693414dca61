/**
 * Housekeeping of sign-in state, run by the job queue's periodic recovery (lib/jobs/workers.ts, once across
 * the fleet every 10 minutes) rather than on the request path: expired sign-in nonces, and sessions that
 * ended or expired more than a day ago.
 */
import type { Db } from "../db/client";
import { sweepNonces } from "./nonce";
import { sweepSessions } from "./sessions";

export async function sweepSignIns(db: Db, now: Date): Promise<{ nonces: number; sessions: number }> {
  return { nonces: await sweepNonces(db, now), sessions: await sweepSessions(db, now) };
}
