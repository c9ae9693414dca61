/**
 * The SIWE nonce of the app's own sign-in: issued by GET /api/auth/nonce into the `sign_in_nonces` table
 * (the cookie carries only the row's id, sealed), valid 10 minutes, used once. "Once" is the database's
 * `delete … returning`: of any number of attempts with that cookie — a replayed copy, the same signed
 * message sent to two instances at the same moment — exactly one gets the nonce; the others find nothing.
 */
import { eq, lt } from "drizzle-orm";
import { generateSiweNonce } from "viem/siwe";
import type { Db } from "../db/client";
import { signInNonces } from "../db/schema";

export const NONCE_TTL_SECONDS = 10 * 60;

export type NonceFailure = "nonce_missing" | "nonce_expired";

/** A fresh nonce row; `replacing` (the cookie's earlier nonce id) is deleted. Expired rows go in the housekeeping job (./sweep.ts). */
export async function issueNonce(db: Db, now: Date, replacing?: string): Promise<{ id: string; nonce: string }> {
  const nonce = generateSiweNonce();
  const expiresAt = new Date(now.getTime() + NONCE_TTL_SECONDS * 1000);
  if (replacing) await db.delete(signInNonces).where(eq(signInNonces.id, replacing));
  const [row] = await db.insert(signInNonces).values({ nonce, issuedAt: now, expiresAt }).returning({ id: signInNonces.id });
  return { id: row!.id, nonce };
}

/** Takes the nonce out of the database — whatever happens next, it cannot be used again — and says whether it was usable. */
export async function takeNonce(db: Db, id: string | undefined, now: Date): Promise<{ nonce: string } | { failure: NonceFailure }> {
  if (!id) return { failure: "nonce_missing" };
  const [row] = await db.delete(signInNonces).where(eq(signInNonces.id, id)).returning();
  if (!row) return { failure: "nonce_missing" };
  if (row.expiresAt.getTime() <= now.getTime()) return { failure: "nonce_expired" };
  return { nonce: row.nonce };
}

/** Deletes the nonces that expired before `now`; answers how many. */
export async function sweepNonces(db: Db, now: Date): Promise<number> {
  return (await db.delete(signInNonces).where(lt(signInNonces.expiresAt, now)).returning({ id: signInNonces.id })).length;
}
