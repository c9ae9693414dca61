/**
 * A staff action as an `onboarding_events` row of type `staff_action` (the staff address, the action, no
 * secret), and the provider call recorded with its outcome: `ok`, or `error` with the error's code.
 */
import type { Db } from "../db/client";
import { AppError } from "../errors";
import { recordEvent, type EventProvider } from "../onboarding/events";

export type StaffActionName =
  | "offblocks_rotate_credentials"
  | "offblocks_revoke_credentials"
  | "simulator_verify"
  | "simulator_reject"
  | "sandbox_clock_advance"
  | "session_end"
  | "sessions_end_all";

interface StaffActionInput {
  staff: string;
  action: StaffActionName;
  provider?: EventProvider;
  onboardingId?: string | null;
  data?: Record<string, unknown>;
}

/** Appends a `staff_action` event (no secret in `data`) through the onboarding event log's one writer. */
export async function recordStaffAction(db: Pick<Db, "insert">, input: StaffActionInput): Promise<void> {
  await recordEvent(db, {
    onboardingId: input.onboardingId ?? null,
    type: "staff_action",
    provider: input.provider,
    data: { action: input.action, staff: input.staff, ...input.data },
    at: new Date(),
  });
}

/**
 * Runs a staff action's provider call and records the action once it has answered: `{outcome: "ok", …data,
 * …okData(result)}`, or `{outcome: "error", …data, code}` (the AppError's code, else `internal_error`) and
 * the error rethrown.
 */
export async function withStaffActionOutcome<T>(
  db: Pick<Db, "insert">,
  action: Omit<StaffActionInput, "data"> & { data: Record<string, unknown> },
  call: () => Promise<T>,
  okData: (result: T) => Record<string, unknown> = () => ({}),
): Promise<T> {
  const { data, ...recorded } = action;
  let result: T;
  try {
    result = await call();
  } catch (error) {
    await recordStaffAction(db, { ...recorded, data: { outcome: "error", ...data, code: error instanceof AppError ? error.code : "internal_error" } });
    throw error;
  }
  await recordStaffAction(db, { ...recorded, data: { outcome: "ok", ...data, ...okData(result) } });
  return result;
}
