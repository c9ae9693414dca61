/** Which step the page shows, from what the server says, and how each step is marked. */
import { describe, expect, it } from "vitest";
import { currentStep, messageDomain, stepProgress } from "./flow-step";
import type { OffblocksStatus, Onboarding } from "./onboarding-types";

const session = { address: "0x1111111111111111111111111111111111111111", chainId: 300, isStaff: false };
const onboarding = (status: OffblocksStatus): Onboarding => ({
  id: "o1",
  address: session.address,
  chainId: 300,
  status: "pending",
  createdAt: "2025-01-01T00:00:00.000Z",
  updatedAt: "2025-01-01T00:00:00.000Z",
  steps: { offblocks: { status }, unblock: { status: "not_started" }, bloq: { status: "not_started" } },
});

describe("currentStep", () => {
  it("follows the server: no session → connect or sign in; a challenge to sign → OffBlocks; anything after → status", () => {
    expect(currentStep({ session: null, onboarding: null, walletConnected: false })).toBe("connect");
    expect(currentStep({ session: null, onboarding: null, walletConnected: true })).toBe("signin");
    expect(currentStep({ session, onboarding: null, walletConnected: false })).toBe("offblocks");
    expect(currentStep({ session, onboarding: onboarding("challenge_issued"), walletConnected: true })).toBe("offblocks");
    for (const status of ["verified", "screening", "verifying", "active", "rejected", "failed"] as const) {
      expect(currentStep({ session, onboarding: onboarding(status), walletConnected: false })).toBe("status");
    }
  });
});

describe("stepProgress", () => {
  it("marks earlier steps done, the current one current, and the status step done or failed when final", () => {
    expect(stepProgress("connect", "offblocks", undefined)).toBe("complete");
    expect(stepProgress("offblocks", "offblocks", undefined)).toBe("current");
    expect(stepProgress("status", "offblocks", undefined)).toBe("upcoming");
    expect(stepProgress("status", "status", "screening")).toBe("current");
    expect(stepProgress("status", "status", "active")).toBe("complete");
    expect(stepProgress("status", "status", "rejected")).toBe("failed");
    // the status step also hosts the Unblock account: done only once that is open too
    expect(stepProgress("status", "status", "active", false)).toBe("current");
    expect(stepProgress("status", "status", "active", true)).toBe("complete");
  });
});

describe("messageDomain", () => {
  it("reads the domain of an EIP-4361 message", () => {
    expect(messageDomain("api.sandbox.offblocks.xyz wants you to sign in with your Ethereum account:\n0xAbc")).toBe("api.sandbox.offblocks.xyz");
    expect(messageDomain("hello")).toBeUndefined();
  });
});
