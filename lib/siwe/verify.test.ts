import { describe, expect, it } from "vitest";
import { privateKeyToAccount } from "viem/accounts";
import { createSiweMessage } from "viem/siwe";
import { verifySiwe } from "./verify";

/** The OffBlocks documentation's own vector (shared/PROVIDERS.md). */
const VECTOR = {
  address: "0x43158f45b5EbD7b1179130130DF00393928C2691" as const,
  message: `api.sandbox.offblocks.xyz wants you to sign in with your Ethereum account:
0x43158f45b5EbD7b1179130130DF00393928C2691

OffBlocks wants to verify ownership of your wallet. By connecting your wallet and using OffBlocks, you agree to our Terms of services and Privacy Policy

URI: https://api.sandbox.offblocks.xyz
Version: 1
Chain ID: 300
Nonce: 5ufoiEqDaFvmfo78
Issued At: 2024-01-17T18:21:53Z`,
  signature: "0xd2472857a11a29b612fda39b3a381cc88a8e6d085333cb7e2536ea38e71664be5e88ada8f5de966eff4f7c9cf59429b9a24814d878e779db34b612d4091c26ba1c" as const,
};

const account = privateKeyToAccount("0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d");
const now = new Date("2026-11-21T12:00:00Z");

function appMessage(overrides: Partial<Parameters<typeof createSiweMessage>[0]> = {}) {
  return createSiweMessage({
    domain: "localhost:3000",
    address: account.address,
    statement: "Sign in to the onboarding app.",
    uri: "http://localhost:3000",
    version: "1",
    chainId: 300,
    nonce: "abcdef12345678",
    issuedAt: new Date(now.getTime() - 60_000),
    ...overrides,
  });
}

const expectations = {
  domain: "localhost:3000",
  uriOrigin: "http://localhost:3000",
  nonce: "abcdef12345678",
  chainIds: [300, 324],
  maxAgeSeconds: 600,
  at: now,
};

describe("verifySiwe", () => {
  it("accepts the OffBlocks documentation vector", async () => {
    const result = await verifySiwe(VECTOR, {
      domain: "api.sandbox.offblocks.xyz",
      uriOrigin: "https://api.sandbox.offblocks.xyz",
      nonce: "5ufoiEqDaFvmfo78",
      chainIds: [300],
      address: VECTOR.address,
      at: new Date("2024-01-17T18:30:00Z"),
    });
    expect(result).toMatchObject({ valid: true, address: VECTOR.address, chainId: 300 });
  });

  it("accepts a good app sign-in", async () => {
    const message = appMessage();
    const signature = await account.signMessage({ message });
    expect(await verifySiwe({ message, signature }, expectations)).toMatchObject({ valid: true, chainId: 300 });
  });

  const refusals: [string, Partial<Parameters<typeof createSiweMessage>[0]>, string][] = [
    ["another domain", { domain: "evil.example" }, "domain_mismatch"],
    ["a URI on another origin", { uri: "https://evil.example/login" }, "uri_mismatch"],
    ["another chain", { chainId: 1 }, "chain_not_allowed"],
    ["another nonce", { nonce: "zzzzzzzzzzzzzz" }, "nonce_mismatch"],
    ["an issued-at in the future", { issuedAt: new Date(now.getTime() + 120_000) }, "issued_in_future"],
    ["an issued-at older than 10 minutes", { issuedAt: new Date(now.getTime() - 11 * 60_000) }, "too_old"],
    ["an expiration in the past", { expirationTime: new Date(now.getTime() - 1000) }, "expired"],
    ["a not-before in the future", { notBefore: new Date(now.getTime() + 60_000) }, "not_yet_valid"],
  ];
  for (const [what, overrides, reason] of refusals) {
    it(`refuses ${what}`, async () => {
      const message = appMessage(overrides);
      const signature = await account.signMessage({ message });
      expect(await verifySiwe({ message, signature }, expectations)).toMatchObject({ valid: false, reason });
    });
  }

  it("refuses a signature by another key", async () => {
    const message = appMessage();
    const other = privateKeyToAccount("0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a");
    const signature = await other.signMessage({ message });
    expect(await verifySiwe({ message, signature }, expectations)).toMatchObject({ valid: false, reason: "bad_signature" });
  });

  it("refuses a lowercase (non EIP-55) address and a non-canonical rendering", async () => {
    const lower = appMessage().replace(account.address, account.address.toLowerCase());
    expect(await verifySiwe({ message: lower, signature: "0x00" }, expectations)).toMatchObject({ valid: false, reason: "address_not_checksummed" });
    const padded = appMessage().replace("Version: 1", "Version: 1 ");
    expect(await verifySiwe({ message: padded, signature: "0x00" }, expectations)).toMatchObject({ valid: false });
  });

  it("refuses text that is not EIP-4361", async () => {
    expect(await verifySiwe({ message: "hello", signature: "0x00" }, expectations)).toMatchObject({ valid: false, reason: "malformed" });
  });
});
