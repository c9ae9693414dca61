/**
 * The SIWE nonce of the app's own sign-in: issued into the session by GET /api/auth/nonce, valid 10 minutes,
 * used once. "Once" holds even against someone replaying an old copy of the cookie: every nonce taken is
 * also remembered in this process until it would have expired anyway (memory is bounded by the issue rate
 * over 10 minutes). Several app instances behind a load balancer do not share that memory.
 */
import { generateSiweNonce } from "viem/siwe";
import type { SessionData } from "../session";

export const NONCE_TTL_SECONDS = 10 * 60;

export type NonceFailure = "nonce_missing" | "nonce_expired";

export class ConsumedNonces {
  #until = new Map<string, number>();

  /** Marks the nonce used; false when it already was. */
  consume(nonce: string, expiresAtMs: number, nowMs: number): boolean {
    this.#sweep(nowMs);
    if (this.#until.has(nonce)) return false;
    this.#until.set(nonce, expiresAtMs);
    return true;
  }

  get size(): number {
    return this.#until.size;
  }

  #sweep(nowMs: number): void {
    for (const [nonce, until] of this.#until) if (until <= nowMs) this.#until.delete(nonce);
  }
}

/** Puts a fresh nonce in the session (replacing any earlier one); the caller saves the session. */
export function issueNonce(session: SessionData, now: Date): string {
  const nonce = generateSiweNonce();
  session.nonce = nonce;
  session.nonceIssuedAt = now.getTime();
  return nonce;
}

/**
 * Takes the session's nonce out of it — whatever happens next, it cannot be used again — and says whether
 * it was still usable. The caller saves the session.
 */
export function takeNonce(session: SessionData, now: Date, consumed: ConsumedNonces): { nonce: string } | { failure: NonceFailure } {
  const { nonce, nonceIssuedAt } = session;
  delete session.nonce;
  delete session.nonceIssuedAt;
  if (!nonce || typeof nonceIssuedAt !== "number") return { failure: "nonce_missing" };
  const expiresAt = nonceIssuedAt + NONCE_TTL_SECONDS * 1000;
  if (!consumed.consume(nonce, expiresAt, now.getTime())) return { failure: "nonce_missing" };
  if (expiresAt <= now.getTime()) return { failure: "nonce_expired" };
  return { nonce };
}
