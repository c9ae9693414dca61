/** The challenge text and its verification, checked against the OffBlocks docs' real test vector. */
import { verifyMessage } from "viem";
import { describe, expect, it } from "vitest";
import { challengeNonce, challengeSignatureValid, challengeText, decodeSignature, isoSeconds } from "./challenge";

/** shared/PROVIDERS.md, top: from the OffBlocks docs. */
const VECTOR = {
  address: "0x43158f45b5EbD7b1179130130DF00393928C2691",
  message: [
    "api.sandbox.offblocks.xyz wants you to sign in with your Ethereum account:",
    "0x43158f45b5EbD7b1179130130DF00393928C2691",
    "",
    "OffBlocks wants to verify ownership of your wallet. By connecting your wallet and using OffBlocks, you agree to our Terms of services and Privacy Policy",
    "",
    "URI: https://api.sandbox.offblocks.xyz",
    "Version: 1",
    "Chain ID: 300",
    "Nonce: 5ufoiEqDaFvmfo78",
    "Issued At: 2024-01-17T18:21:53Z",
  ].join("\n"),
  signature: "0xd2472857a11a29b612fda39b3a381cc88a8e6d085333cb7e2536ea38e71664be5e88ada8f5de966eff4f7c9cf59429b9a24814d878e779db34b612d4091c26ba1c",
} as const;

const vectorFields = {
  domain: "api.sandbox.offblocks.xyz",
  uri: "https://api.sandbox.offblocks.xyz",
  address: VECTOR.address,
  chainId: "300",
  nonce: "5ufoiEqDaFvmfo78",
  issuedAt: new Date("2024-01-17T18:21:53.000Z"),
} as const;

const vectorBase64Signature = Buffer.from(VECTOR.signature.slice(2), "hex").toString("base64");

describe("the OffBlocks test vector", () => {
  it("verifies with viem", async () => {
    await expect(verifyMessage({ address: VECTOR.address, message: VECTOR.message, signature: VECTOR.signature })).resolves.toBe(true);
  });

  it("is exactly what the emulator builds from the same fields", () => {
    expect(challengeText(vectorFields)).toBe(VECTOR.message);
    expect(challengeText({ ...vectorFields, address: VECTOR.address.toLowerCase() as `0x${string}` })).toBe(VECTOR.message);
  });

  it("passes the emulator's check when answered as base64 of the 65 raw bytes", async () => {
    const signature = decodeSignature(vectorBase64Signature);
    expect(signature).toHaveLength(65);
    const check = { text: VECTOR.message, ...vectorFields, signature: signature!, now: new Date("2024-01-17T18:30:00Z") };
    await expect(challengeSignatureValid(check)).resolves.toBe(true);
    await expect(challengeSignatureValid({ ...check, address: "0x0000000000000000000000000000000000000001" })).resolves.toBe(false);
    await expect(challengeSignatureValid({ ...check, nonce: "somethingelse123" })).resolves.toBe(false);
    await expect(challengeSignatureValid({ ...check, domain: "evil.example" })).resolves.toBe(false);
    await expect(challengeSignatureValid({ ...check, chainId: "1" })).resolves.toBe(false);
    const flipped = Uint8Array.from(signature!);
    flipped[10] = flipped[10]! ^ 0xff;
    await expect(challengeSignatureValid({ ...check, signature: flipped })).resolves.toBe(false);
  });

  it("refuses base64 of the hex text, which is not the 65 raw bytes", () => {
    expect(decodeSignature(Buffer.from(VECTOR.signature, "utf8").toString("base64"))).toBeUndefined();
    expect(decodeSignature(vectorBase64Signature.replace(/=+$/, ""))).toBeUndefined();
    expect(decodeSignature(`${vectorBase64Signature}\n`)).toBeUndefined();
  });
});

describe("challenge parts", () => {
  it("nonces are 16 alphanumerics and differ", () => {
    const nonces = new Set(Array.from({ length: 50 }, challengeNonce));
    expect(nonces.size).toBe(50);
    for (const nonce of nonces) expect(nonce).toMatch(/^[A-Za-z0-9]{16}$/);
  });

  it("Issued At is ISO to the second in UTC", () => {
    expect(isoSeconds(new Date("2024-01-17T18:21:53.987Z"))).toBe("2024-01-17T18:21:53Z");
  });
});
