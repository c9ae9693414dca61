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
 * - `staff_action` (written for lib/staff): `{action, staff, …}`, on an onboarding or on none (a credential
 *   rotation, the sandbox clock)
 * This module is the one writer of `onboarding_events`: one event at a time (`recordEvent`), or status_change
 * events inside the statement that makes the change (`statusEventsCte`, ./steps/step-row.ts and the start).
 * Never in any event: an Unblock session id, a Bloq token, an email code, a signature.
 */
import { sql, type SQL } from "drizzle-orm";
import type { Db } from "../db/client";
import { onboardingEvents } from "../db/schema";

export type EventType = "provider_call" | "status_change" | "error";
export type EventProvider = "offblocks" | "unblock" | "bloq";
export type OffblocksOperation = "create_customer" | "get_customer" | "get_challenge" | "sign_challenge";
export type UnblockOperation = "create_user" | "get_user" | "login_siwe" | "request_otp" | "verify_otp" | "open_bank_account";
export type BloqOperation = "get_nonce" | "login";

interface EventFields {
  provider?: EventProvider;
  data: Record<string, unknown>;
  at: Date;
}

/** An event of an onboarding's own, or a staff action (which may concern no onboarding). */
export type EventInput = EventFields & ({ onboardingId: string; type: EventType } | { onboardingId: string | null; type: "staff_action" });

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

/**
 * A data-modifying CTE for one statement that also makes the change: writes a `status_change` event for each row
 * the `selects` answer (columns `onboarding_id`, `provider`, `data`, `position`; usually selected from the CTE
 * that made the change, so no change, no event), in `position` order (their ids: the timeline's order).
 */
export function statusEventsCte(db: Pick<Db, "$with">, selects: SQL[], at: Date) {
  return db
    .$with("written_events", { id: onboardingEvents.id })
    .as(
      sql`insert into ${onboardingEvents} (onboarding_id, type, provider, data, at) select onboarding_id, 'status_change', provider, data, ${at}::timestamptz from (${sql.join(selects, sql` union all `)}) as event order by position returning id`,
    );
}
