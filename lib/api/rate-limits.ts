/**
 * The rate limits: their names, defaults and the `RATE_LIMITS` syntax (`name=points/seconds,…`), read by
 * lib/config.ts. Each limit counts requests per key (the client address, or an email) over a window; the
 * defaults are generous enough for an office of people behind one NAT address and tight where guessing pays
 * (sign-in, the email code). See ./rate-limiter.ts for where they are applied.
 */
export interface RateLimitRule {
  points: number;
  durationSeconds: number;
}

export const DEFAULT_RATE_LIMITS = {
  /** GET /api/auth/nonce, per client address */
  nonce: { points: 300, durationSeconds: 60 },
  /** POST /api/auth/verify, per client address */
  sign_in: { points: 120, durationSeconds: 60 },
  /** every other POST under /api/onboarding, per client address */
  onboarding_write: { points: 600, durationSeconds: 60 },
  /** POST /api/onboarding/unblock/otp, per client address */
  otp_send: { points: 30, durationSeconds: 3600 },
  /** POST /api/onboarding/unblock/otp, per email address */
  otp_send_email: { points: 5, durationSeconds: 900 },
  /** POST /api/onboarding/unblock/otp/verify, per client address */
  otp_check: { points: 120, durationSeconds: 3600 },
  /** POST /api/onboarding/unblock/otp/verify, per email address: a new code does not reset it */
  otp_check_email: { points: 10, durationSeconds: 900 },
  /** /api/staff/*, per client address */
  staff: { points: 1200, durationSeconds: 60 },
  /** /api/admin/*, per client address */
  admin: { points: 120, durationSeconds: 60 },
} as const satisfies Record<string, RateLimitRule>;

export type RateLimitName = keyof typeof DEFAULT_RATE_LIMITS;
export type RateLimits = Record<RateLimitName, RateLimitRule>;

export const RATE_LIMIT_NAMES = Object.keys(DEFAULT_RATE_LIMITS) as RateLimitName[];

/**
 * `RATE_LIMITS` with every limit out of reach, for load tools whose many clients reach the app as one address
 * (the long fuzz run, the soak and the onboarding bench): they measure the handlers, not the limiter.
 */
export const RATE_LIMITS_OUT_OF_REACH = RATE_LIMIT_NAMES.map((name) => `${name}=999999999/60`).join(",");

/** `sign_in=30/60,otp_send_email=3/900` over the defaults; an error message for a bad entry. */
export function parseRateLimits(text: string | undefined): RateLimits | string {
  const limits: RateLimits = { ...DEFAULT_RATE_LIMITS };
  for (const entry of (text ?? "")
    .split(",")
    .map((part) => part.trim())
    .filter(Boolean)) {
    const match = /^([a-z_]+)=([1-9][0-9]{0,8})\/([1-9][0-9]{0,6})$/.exec(entry);
    if (!match || !(match[1]! in DEFAULT_RATE_LIMITS)) {
      return `must be a comma-separated list of <name>=<requests>/<seconds> with names among ${RATE_LIMIT_NAMES.join(", ")}`;
    }
    limits[match[1] as RateLimitName] = { points: Number(match[2]), durationSeconds: Number(match[3]) };
  }
  return limits;
}
