/**
 * Where the Unblock step stands, read from the onboarding: its phase (details, sign in, choose the account,
 * done) and that phase's title, and the account asked for while Unblock's session had ended (kept in this
 * browser's session until it is opened).
 */
import { readStored, writeStored } from "./browser-storage";
import type { Onboarding, UnblockCurrency } from "./onboarding-types";

export type Phase = "details" | "signin" | "account" | "done";

const PENDING_KEY = "unblock-pending-currency";

/** The account asked for when the Unblock session had ended: kept across a reload until it is opened. */
export function loadPendingCurrency(): UnblockCurrency | null {
  const value = readStored("session", PENDING_KEY);
  return value === "EUR" || value === "GBP" ? value : null;
}

export function savePendingCurrency(value: UnblockCurrency | null): void {
  writeStored("session", PENDING_KEY, value);
}

function sessionLive(onboarding: Onboarding, now: number): boolean {
  const unblock = onboarding.steps.unblock;
  if (unblock.status !== "session_active") return false;
  const expiresAt = unblock.sessionExpiresAt ? Date.parse(unblock.sessionExpiresAt) : Number.NaN;
  return !Number.isFinite(expiresAt) || expiresAt > now;
}

export function phaseOf(onboarding: Onboarding, sessionEnded: boolean, now: number): Phase {
  const unblock = onboarding.steps.unblock;
  if (unblock.account) return "done";
  if (unblock.status === "not_started") return "details";
  if (!sessionEnded && sessionLive(onboarding, now)) return "account";
  return "signin";
}

export const PHASE_TITLE: Record<Phase, string> = {
  details: "Your details for Unblock",
  signin: "Sign in to Unblock",
  account: "Choose your account",
  done: "Your account is open",
};

/** What the Unblock step is busy with (creating the user is the details form's own). */
export type UnblockAction = "message" | "login" | "sending_code" | "verifying" | "opening";
export type UnblockBusy = "idle" | "signing" | UnblockAction;

/** How long an emailed code works (Unblock's rule). */
export const CODE_VALID_MINUTES = 10;
