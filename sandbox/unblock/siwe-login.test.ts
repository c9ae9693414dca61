/** `POST /auth/login {message, signature}`: every EIP-4361 rule, the single-use nonce and the user lookup. */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { SessionSchema } from "@/lib/providers/unblock/types";
import type { SandboxHandle } from "../server";
import type { IndependentUnblockClient, SiweOptions } from "./independent-client";
import { advanceClock, createUser, OTHER_WALLET, startHarness, WALLET } from "./test-fixtures";

const HOUR = 3600 * 1000;

describe("unblock: SIWE login", () => {
  let sandbox: SandboxHandle;
  let client: IndependentUnblockClient;
  let userUuid: string;
  beforeEach(async () => {
    ({ sandbox, client } = await startHarness());
    userUuid = (await createUser(client, WALLET)).uuid;
  });
  afterEach(() => sandbox.close());

  const refusedWith = async (options: SiweOptions, message?: RegExp) => {
    const { answer } = await client.siweLogin(WALLET, options);
    expect([answer.status, answer.errorId], JSON.stringify(options)).toEqual([401, "siwe_invalid"]);
    if (message) expect(answer.errorMessage).toMatch(message);
  };

  it("logs the user in with the message PROVIDERS.md describes", async () => {
    const { message, answer } = await client.siweLogin(WALLET);
    expect(message).toContain(`${new URL(sandbox.unblockUrl).host} wants you to sign in with your Ethereum account:\n${WALLET.address}`);
    expect(message).toContain(`URI: ${sandbox.unblockUrl}/auth/login`);
    expect(answer.status).toBe(200);
    expect(SessionSchema.parse(answer.body)).toEqual({ user_uuid: userUuid, unblock_session_id: expect.any(String) });
  });

  it("refuses a replayed message: 401 nonce_already_used", async () => {
    const { message, signature, answer } = await client.siweLogin(WALLET);
    expect(answer.status).toBe(200);
    const replay = await client.loginWithMessage(message, signature);
    expect([replay.status, replay.errorId]).toEqual([401, "nonce_already_used"]);
    const sameNonce = await client.siweLogin(WALLET, { nonce: message.match(/Nonce: (\w+)/)?.[1] ?? "" });
    expect([sameNonce.answer.status, sameNonce.answer.errorId]).toEqual([401, "nonce_already_used"]);
  });

  it("checks domain, uri, statement, version and the checksummed address", async () => {
    const host = new URL(sandbox.unblockUrl).host;
    await refusedWith({ domain: "api.getunblock.com" }, /domain/);
    await refusedWith({ domain: host.replace("127.0.0.1", "localhost") }, /domain/);
    await refusedWith({ uri: sandbox.unblockUrl }, /URI/);
    await refusedWith({ uri: `${sandbox.url}/auth/login` }, /URI/);
    await refusedWith({ uri: `https://${host}/unblock/auth/login` }, /URI/);
    await refusedWith({ statement: "Sign in with Ethereum to Unblock" }, /statement/);

    const text = client.siweMessage(WALLET);
    const wrongVersion = text.replace("Version: 1", "Version: 2");
    const v = await client.loginWithMessage(wrongVersion, await WALLET.signMessage({ message: wrongVersion }));
    expect([v.status, v.errorId]).toEqual([401, "siwe_invalid"]);

    const lower = text.replace(WALLET.address, WALLET.address.toLowerCase());
    const l = await client.loginWithMessage(lower, await WALLET.signMessage({ message: lower }));
    expect([l.status, l.errorId]).toEqual([401, "siwe_invalid"]);
    expect(l.body).toEqual({ error_id: "siwe_invalid", message: expect.stringMatching(/checksum/) });
  });

  it("accepts a scheme-prefixed domain, second-precision timestamps and a chain of the user's choice", async () => {
    const text = client.siweMessage(WALLET, { chainId: 137 });
    const variant = text.replace(/^(\S+) wants/, "http://$1 wants").replace(/(Issued At|Expiration Time): (\S+)\.000Z/g, "$1: $2Z");
    expect(variant).not.toBe(text);
    const answer = await client.loginWithMessage(variant, await WALLET.signMessage({ message: variant }));
    expect(answer.status, answer.text).toBe(200);
  });

  it("refuses malformed messages: extra lines, missing fields, garbage", async () => {
    const text = client.siweMessage(WALLET);
    const variants = [
      `${text}\nExtra: line`,
      `junk\n${text}`,
      text.replace(/\nChain ID: \d+/, ""),
      text.replace(/\nIssued At: .*/, ""),
      text.replace("Issued At: ", "Issued At: yesterday "),
      "hello",
    ];
    for (const message of variants) {
      const answer = await client.loginWithMessage(message, await WALLET.signMessage({ message }));
      expect([answer.status, answer.errorId], message).toEqual([401, "siwe_invalid"]);
    }
  });

  it("requires an Expiration Time, not past and at most 4 h ahead by the sandbox clock", async () => {
    const now = client.serverNow().getTime();
    await refusedWith({ expirationTime: null }, /Expiration Time is required/);
    await refusedWith({ expirationTime: new Date(now + 4 * HOUR + 5 * 60_000) }, /at most 4 hours/);
    await refusedWith({ issuedAt: new Date(now - 2 * HOUR), expirationTime: new Date(now - 1000) }, /expired/);
    const fine = await client.siweLogin(WALLET, { expirationTime: new Date(now + 10 * 60_000) });
    expect(fine.answer.status).toBe(200);

    // a message valid when signed, presented after the sandbox clock passed its expiration
    const message = client.siweMessage(WALLET, { expirationTime: new Date(now + HOUR) });
    const signature = await WALLET.signMessage({ message });
    await advanceClock(sandbox, 3601);
    const late = await client.loginWithMessage(message, signature);
    expect([late.status, late.errorId]).toEqual([401, "siwe_invalid"]);
    // the client follows the sandbox clock through the Date header: its new message is fine
    expect((await client.siweLogin(WALLET)).answer.status).toBe(200);
  });

  it("refuses Issued At or Not Before in the future of the sandbox clock", async () => {
    const now = client.serverNow().getTime();
    await refusedWith({ issuedAt: new Date(now + 10 * 60_000), expirationTime: new Date(now + HOUR) }, /Issued At/);
    await refusedWith({ notBefore: new Date(now + 10 * 60_000) }, /Not Before/);
  });

  it("refuses a signature by another key or malformed: 401 siwe_invalid", async () => {
    const message = client.siweMessage(WALLET);
    const bySomeoneElse = await client.loginWithMessage(message, await OTHER_WALLET.signMessage({ message }));
    expect([bySomeoneElse.status, bySomeoneElse.errorId]).toEqual([401, "siwe_invalid"]);
    for (const signature of ["0x1234", `0x${"00".repeat(65)}`, `0x${"ff".repeat(65)}`, `0x${"ab".repeat(200)}`]) {
      const answer = await client.loginWithMessage(message, signature);
      expect([answer.status, answer.errorId], signature).toEqual([401, "siwe_invalid"]);
    }
    for (const signature of ["abc", "0x", "0xZZ"]) {
      const notHex = await client.loginWithMessage(message, signature);
      expect([notHex.status, notHex.errorId], signature).toEqual([400, "invalid_request"]);
    }
    // none of these spent the nonce
    expect((await client.loginWithMessage(message, await WALLET.signMessage({ message }))).status).toBe(200);
  });

  it("finds the user by sign_in_crypto_address: 404 user_not_found otherwise, and the nonce stays unspent", async () => {
    const { message, signature, answer } = await client.siweLogin(OTHER_WALLET);
    expect([answer.status, answer.errorId]).toEqual([404, "user_not_found"]);
    const other = await createUser(client, OTHER_WALLET);
    const retried = await client.loginWithMessage(message, signature);
    expect([retried.status, retried.body.user_uuid]).toEqual([200, other.uuid]);
  });
});
