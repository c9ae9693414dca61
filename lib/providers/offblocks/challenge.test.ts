import { hexToBytes, verifyMessage } from "viem";
import { describe, expect, it } from "vitest";
import { AppError } from "../../errors";
import { challengeExpiry, decodeChallenge, signatureHexToBase64, toChallenge } from "./challenge";

// shared/PROVIDERS.md: the OffBlocks docs' test vector
const ADDRESS = "0x43158f45b5EbD7b1179130130DF00393928C2691";
const MESSAGE = `api.sandbox.offblocks.xyz wants you to sign in with your Ethereum account:
${ADDRESS}

OffBlocks wants to verify ownership of your wallet. By connecting your wallet and using OffBlocks, you agree to our Terms of services and Privacy Policy

URI: https://api.sandbox.offblocks.xyz
Version: 1
Chain ID: 300
Nonce: 5ufoiEqDaFvmfo78
Issued At: 2024-01-17T18:21:53Z`;
const SIGNATURE = "0xd2472857a11a29b612fda39b3a381cc88a8e6d085333cb7e2536ea38e71664be5e88ada8f5de966eff4f7c9cf59429b9a24814d878e779db34b612d4091c26ba1c";

describe("offblocks challenge", () => {
  it("the vector verifies, and its Base64 is of the 65 raw bytes", async () => {
    await expect(verifyMessage({ address: ADDRESS, message: MESSAGE, signature: SIGNATURE })).resolves.toBe(true);
    const base64 = signatureHexToBase64(SIGNATURE);
    const raw = Buffer.from(base64, "base64");
    expect(raw).toHaveLength(65);
    expect(raw.equals(Buffer.from(hexToBytes(SIGNATURE)))).toBe(true);
    expect(base64).not.toBe(Buffer.from(SIGNATURE).toString("base64"));
  });

  it("refuses signatures of any other length or alphabet", () => {
    for (const bad of [SIGNATURE.slice(0, -2), `${SIGNATURE}00`, SIGNATURE.slice(2), `${SIGNATURE.slice(0, -1)}g`, "", "0x"]) {
      expect(() => signatureHexToBase64(bad)).toThrow(expect.objectContaining({ code: "signature_invalid", status: 400 }));
    }
  });

  it("decodes the challenge and finds its expiry", () => {
    const base64 = Buffer.from(MESSAGE).toString("base64");
    expect(decodeChallenge(base64)).toBe(MESSAGE);
    expect(challengeExpiry(MESSAGE).toISOString()).toBe("2024-01-17T19:21:53.000Z");
    expect(challengeExpiry(`${MESSAGE}\nExpiration Time: 2024-01-17T18:31:53Z`).toISOString()).toBe("2024-01-17T18:31:53.000Z");
    expect(toChallenge(base64, "2024-01-17T18:40:00.000Z")).toEqual({ message: MESSAGE, base64, expiresAt: new Date("2024-01-17T18:40:00.000Z") });
    expect(toChallenge(base64).expiresAt.toISOString()).toBe("2024-01-17T19:21:53.000Z");
    expect(() => decodeChallenge("not base64!")).toThrow(AppError);
  });
});
