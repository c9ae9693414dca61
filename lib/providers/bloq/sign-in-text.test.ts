import { describe, expect, it } from "vitest";
import { bloqSignInText } from "./sign-in-text";

describe("Bloq sign-in text", () => {
  it("is PROVIDERS.md's text with the checksummed address, the nonce and signedAt as Issued At", () => {
    expect(bloqSignInText({ address: "0x43158f45b5ebd7b1179130130df00393928c2691", nonce: "n0nce", signedAt: "2026-11-21T12:00:00.000Z" }))
      .toBe(`api.bloq.com wants you to sign in with your Ethereum account:
0x43158f45b5EbD7b1179130130DF00393928C2691

Signing In With Ethereum on Bloq

URI: https://api.bloq.com
Version: 1
Chain ID: 1
Nonce: n0nce
Issued At: 2026-11-21T12:00:00.000Z`);
  });
});
