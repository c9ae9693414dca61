/** The follow-ups' backoff: doubling from the base, capped, and where the recovery resumes it. */
import { describe, expect, it } from "vitest";
import { DEFAULT_FOLLOW_BACKOFF, followDelaySeconds } from "./follow-job";
import { attemptFor } from "./recover-job";

describe("follow-up backoff", () => {
  it("doubles from 2 s and stops at the cap", () => {
    expect([0, 1, 2, 3, 4, 5, 6, 7, 8, 50].map((attempt) => followDelaySeconds(attempt))).toEqual([2, 4, 8, 16, 32, 64, 128, 256, 300, 300]);
    expect(followDelaySeconds(-3)).toBe(DEFAULT_FOLLOW_BACKOFF.baseSeconds);
    expect(followDelaySeconds(5, { baseSeconds: 1, maxDelaySeconds: 2 })).toBe(2);
  });

  it("the recovery resumes a step unchanged for a while further along, never past the cap", () => {
    expect(attemptFor(0)).toBe(0);
    expect(attemptFor(2)).toBe(0);
    expect(attemptFor(9)).toBe(2); // 8 s ≤ 9 s
    expect(followDelaySeconds(attemptFor(86_400))).toBe(DEFAULT_FOLLOW_BACKOFF.maxDelaySeconds);
  });
});
