import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { describe, expect, it } from "vitest";
import { verifySiwe } from "../siwe/verify";
import { appSiweMessage } from "./app-siwe-message";

describe("the app's sign-in message", () => {
  it("is the EIP-4361 message the server's verifier accepts for this page's host", async () => {
    const account = privateKeyToAccount(generatePrivateKey());
    const message = appSiweMessage({
      address: account.address,
      chainId: 300,
      nonce: "a1b2c3d4e5f6g7h8",
      location: { host: "localhost:3301", origin: "http://localhost:3301" },
    });
    expect(message.split("\n")[0]).toBe("localhost:3301 wants you to sign in with your Ethereum account:");
    const signature = await account.signMessage({ message });
    const result = await verifySiwe(
      { message, signature },
      { domain: "localhost:3301", uriOrigin: "http://localhost:3301", nonce: "a1b2c3d4e5f6g7h8", chainIds: [300, 324], maxAgeSeconds: 600 },
    );
    expect(result).toMatchObject({ valid: true, address: account.address, chainId: 300 });
  });
});
