/**
 * Applying the rate limits (./rate-limits.ts): one limiter per limit, counting in the database every instance
 * shares (Postgres: rate-limiter-flexible's Drizzle store — one atomic upsert per request — on the app's own
 * pool) or in this process's memory (PGlite: there is only one process). Exceeding a limit is 429
 * `rate_limited` with `Retry-After` and a sentence the page can show as it is. A store that fails lets the
 * request through and logs it: an outage of the limiter must not become an outage of the app.
 */
import { createHash } from "node:crypto";
import { RateLimiterDrizzle, RateLimiterMemory, RateLimiterRes, type RateLimiterAbstract } from "rate-limiter-flexible";
import type { Db } from "../db/client";
import { rateLimits as rateLimitsTable } from "../db/schema";
import { AppError } from "../errors";
import type { Logger } from "pino";
import type { RateLimitName, RateLimits } from "./rate-limits";

export type RateLimitStore = { kind: "memory" } | { kind: "database"; db: Db };

export interface RateLimiters {
  /** Counts one request of `key` against `name`; throws 429 `rate_limited` when over the limit. */
  consume(name: RateLimitName, key: string): Promise<void>;
}

const WHAT: Record<RateLimitName, string> = {
  nonce: "Too many sign-in attempts from your network.",
  sign_in: "Too many sign-in attempts from your network.",
  onboarding_write: "Too many requests from your network.",
  otp_send: "Too many email codes were asked for from your network.",
  otp_send_email: "Too many codes were sent to this email address.",
  otp_check: "Too many email codes were tried from your network.",
  otp_check_email: "Too many codes were tried for this email address.",
  staff: "Too many requests to the staff pages from your network.",
  admin: "Too many admin requests from your network.",
};

/** "40 seconds", "3 minutes" */
function waitWords(seconds: number): string {
  if (seconds < 90) return `${seconds} second${seconds === 1 ? "" : "s"}`;
  const minutes = Math.ceil(seconds / 60);
  return `${minutes} minute${minutes === 1 ? "" : "s"}`;
}

export function rateLimitRefusal(name: RateLimitName, retryAfterSeconds: number): AppError {
  return new AppError("rate_limited", 429, `${WHAT[name]} Please wait ${waitWords(retryAfterSeconds)} and try again.`, {
    limit: name,
    retryAfterSeconds,
  });
}

/** Emails (and anything else personal) are counted under a digest, never stored as they are. */
const isPersonal = (name: RateLimitName) => name === "otp_send_email" || name === "otp_check_email";
const digest = (value: string) => createHash("sha256").update(value.trim().toLowerCase()).digest("base64url").slice(0, 32);

export function createRateLimiters(limits: RateLimits, store: RateLimitStore, log?: Logger): RateLimiters {
  const limiters = new Map<RateLimitName, RateLimiterAbstract>();
  const limiter = (name: RateLimitName): RateLimiterAbstract => {
    let found = limiters.get(name);
    if (!found) {
      const options = { keyPrefix: name, points: limits[name].points, duration: limits[name].durationSeconds };
      found = store.kind === "memory" ? new RateLimiterMemory(options) : new RateLimiterDrizzle({ ...options, storeClient: store.db, schema: rateLimitsTable });
      limiters.set(name, found);
    }
    return found;
  };
  return {
    async consume(name, key) {
      try {
        await limiter(name).consume(isPersonal(name) ? digest(key) : key.slice(0, 64));
      } catch (error) {
        if (error instanceof RateLimiterRes) throw rateLimitRefusal(name, Math.max(1, Math.ceil(error.msBeforeNext / 1000)));
        log?.error({ limit: name, err: error instanceof Error ? error.message : String(error) }, "rate limiter store failed; request let through");
      }
    },
  };
}
