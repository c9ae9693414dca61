/** The Unblock step's parts that need no provider: the form's checks, the local signature check, the view. */
import { describe, expect, it } from "vitest";
import { AppError } from "../../errors";
import { parseUnblockUserForm, unblockSignatureCheck, unblockView } from "./unblock";
import type { StepRow } from "./step-types";

const row = (patch: Partial<StepRow>): StepRow => ({
  onboardingId: "00000000-0000-4000-8000-000000000001",
  provider: "unblock",
  status: "user_created",
  externalId: "00000000-0000-4000-8000-000000000002",
  challenge: null,
  challengeExpiresAt: null,
  secret: null,
  secretExpiresAt: null,
  details: { firstName: "Ada", lastName: "Lovelace", email: "ada@example.com", country: "GB" },
  createdAt: new Date(0),
  updatedAt: new Date(0),
  ...patch,
});

describe("the Unblock step", () => {
  it("reads session_expired once the sealed session's 4 h have passed, and never shows a secret", () => {
    const expiresAt = new Date("2026-01-01T04:00:00Z");
    const active = row({ status: "session_active", secret: Buffer.from("sealed"), secretExpiresAt: expiresAt, challenge: "to sign" });
    expect(unblockView(active, new Date("2026-01-01T03:59:59Z"))).toEqual({
      status: "session_active",
      userId: active.externalId,
      email: "ada@example.com",
      country: "GB",
      sessionExpiresAt: expiresAt.toISOString(),
    });
    expect(unblockView(active, expiresAt)).toMatchObject({ status: "session_expired", sessionExpiresAt: expiresAt.toISOString() });
    expect(unblockView(undefined, new Date())).toEqual({ status: "not_started" });
    expect(JSON.stringify(unblockView(active, new Date(0)))).not.toMatch(/sealed|to sign/);
  });

  it("checks the form field by field, trimming and upper-casing the country", () => {
    expect(parseUnblockUserForm({ firstName: " Ada ", lastName: "Lovelace", email: "ada@example.com", country: "gb" })).toEqual({
      firstName: "Ada",
      lastName: "Lovelace",
      email: "ada@example.com",
      country: "GB",
    });
    let error: unknown;
    try {
      parseUnblockUserForm({ firstName: "Ada", lastName: "L", email: "x", country: "GB" });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: "invalid_request", status: 400, details: { fields: { lastName: expect.any(String), email: expect.any(String) } } });
  });

  it("leaves contract-wallet signatures it cannot check to Unblock, but refuses a plain one that does not recover", async () => {
    const never = async () => false;
    const args = { address: "0x43158f45b5EbD7b1179130130DF00393928C2691" as const, message: "m", chainId: 80002 };
    const check = unblockSignatureCheck(never, {});
    expect(await check({ ...args, signature: `0x${"11".repeat(65)}` })).toBe(false);
    expect(await check({ ...args, signature: `0x${"11".repeat(200)}` })).toBe(true);
    expect(await unblockSignatureCheck(never, { 80002: "https://rpc.example" })({ ...args, signature: `0x${"11".repeat(200)}` })).toBe(false);
  });
});
