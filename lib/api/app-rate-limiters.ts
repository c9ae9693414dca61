/**
 * The process's rate limiters (one per process across Next's module graphs, lib/process-shared.ts), on the
 * app's database when it is Postgres (shared by the fleet), in memory with PGlite; and the limit a route
 * falls under, applied to every /api request by proxy.ts.
 */
import { config } from "../config";
import { appDatabase } from "../db";
import { logger } from "../log";
import { sharedInProcess } from "../process-shared";
import { createRateLimiters, type RateLimiters } from "./rate-limiter";
import type { RateLimitName } from "./rate-limits";

export function appRateLimiters(): Promise<RateLimiters> {
  return sharedInProcess("rate-limiters", async () => {
    const database = await appDatabase();
    return createRateLimiters(config().rateLimits, database.kind === "postgres" ? { kind: "database", db: database.db } : { kind: "memory" }, logger());
  });
}

const WRITES = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/** The per-client limit of a request to /api, if one applies (the per-email ones are applied by the Unblock step). */
export function routeRateLimit(method: string, pathname: string): RateLimitName | undefined {
  const m = method.toUpperCase();
  if (pathname === "/api/auth/nonce") return m === "GET" ? "nonce" : undefined;
  if (pathname === "/api/auth/verify") return m === "POST" ? "sign_in" : undefined;
  if (pathname.startsWith("/api/staff/")) return "staff";
  if (pathname.startsWith("/api/admin/")) return "admin";
  if (!WRITES.has(m)) return undefined;
  if (pathname === "/api/onboarding/unblock/otp") return "otp_send";
  if (pathname === "/api/onboarding/unblock/otp/verify") return "otp_check";
  if (pathname === "/api/onboarding" || pathname.startsWith("/api/onboarding/")) return "onboarding_write";
  return undefined;
}
