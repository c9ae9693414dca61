/**
 * Email one-time codes: 6 digits, valid 10 minutes on the sandbox clock, locked after 5 wrong tries (then
 * even the right code fails until a new one is requested), single use. Requesting a code replaces the
 * previous one. "Sending" puts the email in the sandbox mailbox (`GET /_sandbox/mailbox?email=`).
 *
 * ours: wrong code → 401 `otp_invalid` (with the tries left); the wrong try that uses up the last attempt,
 * and every try after it → 403 `otp_locked`; past 10 min → 401 `otp_expired`; no code pending (never
 * requested, or already used) → 401 `otp_invalid`.
 */
import { createHash, randomInt, timingSafeEqual } from "node:crypto";
import { UNBLOCK_ERROR, UNBLOCK_LIFETIMES } from "@/lib/providers/unblock/types";
import type { SandboxClock } from "../controls/clock";
import { unblockError } from "./errors";
import type { UnblockState, UserRecord } from "./state";

export const OTP_DIGITS = 6;

export function sendCode(state: UnblockState, clock: SandboxClock, user: UserRecord): void {
  const code = String(randomInt(10 ** OTP_DIGITS)).padStart(OTP_DIGITS, "0");
  user.pendingCode = { code, expiresAt: clock.now() + UNBLOCK_LIFETIMES.otpSeconds * 1000, wrongAttempts: 0 };
  const minutes = UNBLOCK_LIFETIMES.otpSeconds / 60;
  state.mailbox.push({
    to: user.email,
    subject: "Your Unblock login code",
    body: `Hello ${user.firstName},\n\nYour Unblock login code is ${code}. It is valid for ${minutes} minutes.\n`,
    code,
    sentAt: clock.nowDate().toISOString(),
  });
}

function sameCode(a: string, b: string): boolean {
  const digest = (value: string) => createHash("sha256").update(value).digest();
  return timingSafeEqual(digest(a), digest(b));
}

/** Accepts the code (consuming it) or throws the refusal. */
export function checkCode(clock: SandboxClock, user: UserRecord, submitted: string): void {
  const pending = user.pendingCode;
  if (!pending) throw unblockError(401, UNBLOCK_ERROR.otpInvalid, "No code is pending for this user; request a new one");
  const max = UNBLOCK_LIFETIMES.otpMaxAttempts;
  if (pending.wrongAttempts >= max) {
    throw unblockError(403, UNBLOCK_ERROR.otpLocked, "Too many wrong codes; request a new one");
  }
  if (clock.now() >= pending.expiresAt) throw unblockError(401, UNBLOCK_ERROR.otpExpired, "The code has expired; request a new one");
  if (!sameCode(submitted, pending.code)) {
    pending.wrongAttempts += 1;
    const left = max - pending.wrongAttempts;
    if (left <= 0) throw unblockError(403, UNBLOCK_ERROR.otpLocked, "Too many wrong codes; request a new one");
    throw unblockError(401, UNBLOCK_ERROR.otpInvalid, `Wrong code; ${left} ${left === 1 ? "try" : "tries"} left`);
  }
  user.pendingCode = undefined;
}
