/**
 * The rate limiters on each store: in memory (PGlite's one process) and in the database (rate-limiter-flexible's
 * Drizzle store on PGlite and Postgres), where several instances share one count.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../db/client";
import { rateLimits } from "../db/schema";
import { openTestDatabase, reopenSameDatabase, testDatabaseKinds } from "../db/test-databases";
import { createRateLimiters } from "./rate-limiter";
import { DEFAULT_RATE_LIMITS, parseRateLimits, type RateLimits } from "./rate-limits";

const limits: RateLimits = { ...DEFAULT_RATE_LIMITS, sign_in: { points: 3, durationSeconds: 60 }, otp_check_email: { points: 2, durationSeconds: 900 } };

async function outcomes(consume: () => Promise<void>, times: number): Promise<string[]> {
  const results: string[] = [];
  for (let i = 0; i < times; i++) {
    results.push(
      await consume().then(
        () => "ok",
        (error: { code?: string }) => error.code ?? "thrown",
      ),
    );
  }
  return results;
}

describe("rate limits in memory", () => {
  it("let the limit through, then answer 429 rate_limited with the wait, per key", async () => {
    const limiters = createRateLimiters(limits, { kind: "memory" });
    expect(await outcomes(() => limiters.consume("sign_in", "203.0.113.7"), 4)).toEqual(["ok", "ok", "ok", "rate_limited"]);
    await expect(limiters.consume("sign_in", "203.0.113.7")).rejects.toMatchObject({
      status: 429,
      message: expect.stringMatching(/^Too many sign-in attempts from your network\. Please wait \d+ seconds and try again\.$/),
      details: { limit: "sign_in", retryAfterSeconds: expect.any(Number) },
    });
    expect(await outcomes(() => limiters.consume("sign_in", "198.51.100.1"), 1)).toEqual(["ok"]);
  });
});

describe.each(testDatabaseKinds())("rate limits in the database (%s)", (kind) => {
  let database: Database;
  beforeAll(async () => {
    database = await openTestDatabase(kind);
  });
  afterAll(() => database.close());

  it("count across instances: the fleet shares one budget per key, concurrent requests included", async () => {
    const other = kind === "postgres" ? await reopenSameDatabase(database) : database;
    try {
      const a = createRateLimiters(limits, { kind: "database", db: database.db });
      const b = createRateLimiters(limits, { kind: "database", db: other.db });
      const results = await Promise.all(
        [a, b, a, b, a, b].map((limiter) =>
          limiter.consume("sign_in", "192.0.2.50").then(
            () => "ok",
            (error: { code?: string }) => error.code ?? "thrown",
          ),
        ),
      );
      expect(results.filter((r) => r === "ok")).toHaveLength(3);
      expect(results.filter((r) => r === "rate_limited")).toHaveLength(3);
    } finally {
      if (kind === "postgres") await other.close();
    }
  });

  it("keep an email's budget under a digest, never the address itself", async () => {
    const limiters = createRateLimiters(limits, { kind: "database", db: database.db });
    expect(await outcomes(() => limiters.consume("otp_check_email", "Ben@Example.com"), 2)).toEqual(["ok", "ok"]);
    expect(await outcomes(() => limiters.consume("otp_check_email", " ben@example.com"), 1)).toEqual(["rate_limited"]);
    const keys = (await database.db.select().from(rateLimits)).map((row) => row.key);
    expect(keys.some((key) => key.startsWith("otp_check_email:"))).toBe(true);
    expect(keys.join(" ")).not.toMatch(/example/i);
  });
});

describe("RATE_LIMITS", () => {
  it("overrides the defaults by name, and refuses anything else", () => {
    expect(parseRateLimits("sign_in=30/60, otp_send_email=3/900")).toMatchObject({
      sign_in: { points: 30, durationSeconds: 60 },
      otp_send_email: { points: 3, durationSeconds: 900 },
      nonce: DEFAULT_RATE_LIMITS.nonce,
    });
    for (const bad of ["sign_in=30", "nope=1/1", "sign_in=0/60", "sign_in=1/-1", "sign_in=a/b"]) expect(typeof parseRateLimits(bad), bad).toBe("string");
  });
});
