/**
 * Where the Bloq step stands, read from the onboarding and this browser: its phase (offer, sign, linked,
 * not allowed, skipped) and that phase's title, whether the link is still live, and the skip remembered per wallet.
 */
import type { BloqStep } from "./onboarding-types";
import { readStored, writeStored } from "./browser-storage";

export type Phase = "offer" | "sign" | "linked" | "not_allowed" | "skipped";

/** Said when the page reopens on `not_allowed` (the server's own words came with the 404, not with the onboarding). */
export const NOT_ALLOWED_TEXT =
  "This wallet is not on Bloq's list of staking customers yet, so it cannot be linked. Ask the merchant to allow it at Bloq (or use a wallet that is allowed), then check again. Linking a staking account is optional: you can skip this step.";

const skipKey = (address: string) => `bloq-skipped:${address.toLowerCase()}`;

/** Skipped in this browser before: stays skipped (for this visit only when storage is unavailable). */
export function loadSkipped(address: string): boolean {
  return readStored("local", skipKey(address)) === "1";
}

export function saveSkipped(address: string, skipped: boolean): void {
  writeStored("local", skipKey(address), skipped ? "1" : null);
}

export function linkLive(bloq: BloqStep, now: number): boolean {
  if (bloq.status !== "linked") return false;
  const expiresAt = bloq.tokenExpiresAt ? Date.parse(bloq.tokenExpiresAt) : Number.NaN;
  return !Number.isFinite(expiresAt) || expiresAt > now;
}

export function phaseOf(bloq: BloqStep, message: string | null, skipped: boolean, now: number): Phase {
  if (linkLive(bloq, now)) return "linked";
  if (skipped) return "skipped";
  if (bloq.status === "not_allowed") return "not_allowed";
  if (message) return "sign";
  return "offer";
}

export const TITLE: Record<Phase, string> = {
  offer: "Link your staking account (Bloq)",
  sign: "Sign Bloq’s message",
  linked: "Your staking account is linked",
  not_allowed: "This wallet cannot be linked to Bloq yet",
  skipped: "Staking account: skipped",
};

export function when(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString([], { dateStyle: "medium", timeStyle: "short" });
}

/** What the Bloq step is busy with. */
export type BloqAction = "message" | "login";
export type BloqBusy = "idle" | "signing" | BloqAction;
