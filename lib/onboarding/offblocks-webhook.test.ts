import { describe, expect, it } from "vitest";
import { CUSTOMER_UPDATED_AT_DETAIL, isStaleCustomer } from "./offblocks-webhook";

const at = (iso: string) => ({ [CUSTOMER_UPDATED_AT_DETAIL]: iso });

describe("whether a re-fetched customer would move the OffBlocks step backwards", () => {
  it("lets the step move forward", () => {
    expect(isStaleCustomer("challenge_issued", { status: "screening", updatedAt: "2026-01-01T00:00:01Z" }, null)).toBe(false);
    expect(isStaleCustomer("screening", { status: "active", updatedAt: "2026-01-01T00:00:02Z" }, at("2026-01-01T00:00:01Z"))).toBe(false);
    expect(isStaleCustomer("verifying", { status: "rejected", updatedAt: "2026-01-01T00:00:02Z" }, undefined)).toBe(false);
  });

  it("refuses a lower status, or one older than the last applied", () => {
    expect(isStaleCustomer("active", { status: "screening", updatedAt: "2026-01-01T00:00:09Z" }, null)).toBe(true);
    expect(isStaleCustomer("verifying", { status: "initiating", updatedAt: "2026-01-01T00:00:09Z" }, null)).toBe(true);
    // forward by rank but older than what was applied: a late re-fetch after a deactivation
    expect(isStaleCustomer("verified", { status: "verifying", updatedAt: "2026-01-01T00:00:01Z" }, at("2026-01-01T00:00:05Z"))).toBe(true);
  });

  it("keeps final steps final", () => {
    expect(isStaleCustomer("rejected", { status: "active", updatedAt: "2026-01-01T00:00:09Z" }, null)).toBe(true);
    expect(isStaleCustomer("failed", { status: "screening", updatedAt: "2026-01-01T00:00:09Z" }, null)).toBe(true);
  });

  it("lets an active customer be deactivated (back to verified) and reactivated", () => {
    expect(isStaleCustomer("active", { status: "inactive", updatedAt: "2026-01-01T00:00:09Z" }, at("2026-01-01T00:00:05Z"))).toBe(false);
    expect(isStaleCustomer("verified", { status: "active", updatedAt: "2026-01-01T00:00:10Z" }, at("2026-01-01T00:00:09Z"))).toBe(false);
  });
});
