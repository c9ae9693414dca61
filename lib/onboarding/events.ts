/**
 * The onboarding's event log (append-only): every provider call, status change and error, with no secret
 * and no signature in it. The shapes of `data`, by type:
 * - `status_change`, provider null: the onboarding `{from, to}` (from null at creation)
 * - `status_change`, provider "offblocks": the step `{from, to, cause}`
 * - `provider_call`, provider "offblocks": `{operation, outcome: "ok"|"error", customerId?, customerStatus?, code?}`
 * - `error`: `{code, message, operation?, reason?}` — e.g. a signature we refused before it reached OffBlocks
 * - `status_change`, provider "unblock": the step `{from, to, cause}`
 * - `provider_call`, provider "unblock": `{operation, outcome: "ok"|"error", userId?, currency?, code?}`
 * - `status_change`, provider "bloq": the step `{from, to, cause}`
 * - `provider_call`, provider "bloq": `{operation: "get_nonce"|"login", outcome: "ok"|"error", code?}`
 * Never in any event: an Unblock session id, a Bloq token, an email code, a signature.
 */
import type { Db } from "../db/client";
import { onboardingEvents } from "../db/schema";

export type EventType = "provider_call" | "status_change" | "error";
export type OffblocksOperation = "create_customer" | "get_customer" | "get_challenge" | "sign_challenge";
export type UnblockOperation = "create_user" | "get_user" | "login_siwe" | "request_otp" | "verify_otp" | "open_bank_account";
export type BloqOperation = "get_nonce" | "login";

export interface EventInput {
  onboardingId: string;
  type: EventType;
  provider?: "offblocks" | "unblock" | "bloq";
  data: Record<string, unknown>;
  at: Date;
}

/** Works inside a transaction too (drizzle's transaction object has the same insert API). */
export async function recordEvent(db: Pick<Db, "insert">, event: EventInput): Promise<void> {
  await db.insert(onboardingEvents).values({
    onboardingId: event.onboardingId,
    type: event.type,
    provider: event.provider ?? null,
    data: event.data,
    at: event.at,
  });
}
