/** The API answers read with the shared view schemas: kept, checked, and what is not the contract's dropped. */
import { describe, expect, it } from "vitest";
import { challengeFromError, fieldErrors, parseBloq, parseOnboarding, parseSession, parseSessionState, parseUnblock } from "./api-answers";
import { ApiError, isFinal } from "./onboarding-api";

const wire = {
  id: "3f7c6a3e-0000-4000-8000-000000000001",
  address: "0x1111111111111111111111111111111111111111",
  chainId: 300,
  status: "pending",
  createdAt: "2025-01-01T00:00:00.000Z",
  updatedAt: "2025-01-01T00:00:00.000Z",
  steps: {
    offblocks: {
      status: "challenge_issued",
      customerId: "c1",
      challenge: { message: "api.offblocks.xyz wants you to sign in with your Ethereum account:", expiresAt: "2025-01-01T01:00:00.000Z" },
    },
    unblock: { status: "not_started" },
  },
};

describe("parseOnboarding", () => {
  it("keeps what the page uses and checks its shape", () => {
    const onboarding = parseOnboarding(wire);
    expect(onboarding.steps.offblocks).toEqual({ status: "challenge_issued", customerId: "c1", challenge: wire.steps.offblocks.challenge });
    expect(() => parseOnboarding({ ...wire, steps: { offblocks: { status: "made_up" } } })).toThrow(ApiError);
    expect(() => parseOnboarding(null)).toThrow(ApiError);
  });
});

describe("parseSession", () => {
  it("needs an address and a chain", () => {
    expect(parseSession({ address: wire.address, chainId: 324, isStaff: true })).toEqual({ address: wire.address, chainId: 324, isStaff: true });
    expect(() => parseSession({ address: wire.address })).toThrow(ApiError);
  });
});

describe("parseSessionState", () => {
  it("answers the wallet when signed in, null when not, and refuses anything else", () => {
    expect(parseSessionState({ signedIn: true, address: wire.address, chainId: 324, isStaff: false })).toEqual({
      address: wire.address,
      chainId: 324,
      isStaff: false,
    });
    expect(parseSessionState({ signedIn: false })).toBeNull();
    expect(() => parseSessionState({ signedIn: true })).toThrow(ApiError);
    expect(() => parseSessionState({ address: wire.address, chainId: 324 })).toThrow(ApiError);
  });
});

describe("challengeFromError", () => {
  it("finds the fresh challenge an error answer carries, as an onboarding or on its own", () => {
    const withOnboarding = new ApiError(410, "challenge_expired", "expired", { onboarding: wire });
    expect(challengeFromError(withOnboarding).challenge).toEqual(wire.steps.offblocks.challenge);
    const withChallenge = new ApiError(400, "signature_invalid", "bad", { details: { challenge: wire.steps.offblocks.challenge } });
    expect(challengeFromError(withChallenge)).toEqual({ challenge: wire.steps.offblocks.challenge });
    expect(challengeFromError(new ApiError(410, "challenge_expired", "expired"))).toEqual({});
  });
});

describe("isFinal", () => {
  it("stops polling at active, rejected and failed", () => {
    expect(["active", "rejected", "failed"].every((s) => isFinal(s as never))).toBe(true);
    expect(isFinal("screening")).toBe(false);
  });
});

describe("parseUnblock", () => {
  it("keeps the Unblock step's status, times and account, and drops what is not the contract's", () => {
    const account = { currency: "EUR", iban: "LT893990054098729202", bic: "UNBLLT22XXX", accountHolder: "Ada Lovelace", extra: 1 };
    expect(parseUnblock({ status: "session_active", userId: "u1", email: "a@b.co", sessionExpiresAt: "2025-01-01T04:00:00.000Z", account })).toEqual({
      status: "session_active",
      userId: "u1",
      email: "a@b.co",
      sessionExpiresAt: "2025-01-01T04:00:00.000Z",
      account: { currency: "EUR", iban: "LT893990054098729202", bic: "UNBLLT22XXX", accountHolder: "Ada Lovelace" },
    });
    expect(parseUnblock({ status: "user_created", account: { currency: "USD", accountHolder: "x" } })).toEqual({ status: "user_created" });
    expect(parseUnblock(undefined)).toEqual({ status: "not_started" });
    expect(parseOnboarding(wire).steps.unblock).toEqual({ status: "not_started" });
  });
});

describe("fieldErrors", () => {
  it("reads `error.fields` of a 400 / 409 answer", () => {
    const error = new ApiError(400, "invalid_request", "bad", { fields: { firstName: "must be 2 to 48 characters", email: ["taken"], other: 1 } });
    expect(fieldErrors(error)).toEqual({ firstName: "must be 2 to 48 characters", email: "taken" });
    expect(fieldErrors(new ApiError(502, "unblock_unavailable", "down"))).toEqual({});
  });
});

describe("parseBloq", () => {
  it("keeps the Bloq step's status, its message and when the link ends, and reads anything else as not started", () => {
    const message = "api.bloq.com wants you to sign in with your Ethereum account:\n0x1111111111111111111111111111111111111111";
    expect(parseBloq({ status: "message_issued", message, token: "never" })).toEqual({ status: "message_issued", message });
    expect(parseBloq({ status: "linked", tokenExpiresAt: "2025-01-01T12:00:00.000Z" })).toEqual({
      status: "linked",
      tokenExpiresAt: "2025-01-01T12:00:00.000Z",
    });
    expect(parseBloq({ status: "not_allowed" })).toEqual({ status: "not_allowed" });
    expect(parseBloq({ status: "made_up" })).toEqual({ status: "not_started" });
    expect(parseBloq(undefined)).toEqual({ status: "not_started" });
  });

  it("is part of the parsed onboarding, not_started when the server leaves it out", () => {
    expect(parseOnboarding(wire).steps.bloq).toEqual({ status: "not_started" });
    expect(parseOnboarding({ ...wire, steps: { ...wire.steps, bloq: { status: "linked", tokenExpiresAt: "2025-01-01T12:00:00.000Z" } } }).steps.bloq).toEqual({
      status: "linked",
      tokenExpiresAt: "2025-01-01T12:00:00.000Z",
    });
  });
});
