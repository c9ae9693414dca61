/**
 * The whole Unblock story as shared/PROVIDERS.md tells it, driven by a client written only from that page:
 * a user, a SIWE login, a replay refused, the email-code login ending the first session, a virtual account,
 * 4 h later an expired session and a new login. Plus instances that share nothing.
 */
import { describe, expect, it } from "vitest";
import { SANDBOX_DEFAULTS } from "@/lib/sandbox-defaults";
import { startSandbox } from "../server";
import { IndependentUnblockClient } from "./independent-client";
import { advanceClock, control, mailbox, startHarness, userInput, WALLET } from "./test-fixtures";

describe("unblock: an independent client from PROVIDERS.md", () => {
  it("goes through both ways of logging in to a virtual account", async () => {
    const { sandbox, client } = await startHarness();
    try {
      expect(sandbox.unblockUrl).toBe(`${sandbox.url}/unblock`);
      const email = `flow.${Date.now()}@example.com`;
      const created = await client.createUser(userInput({ email, country: "DE", sign_in_crypto_address: WALLET.address }));
      expect(created.status).toBe(201);
      const userUuid = created.body.user_uuid;

      // SIWE: the message the integrator builds, signed by the wallet
      const siwe = await client.siweLogin(WALLET, { chainId: 80002 });
      expect(siwe.answer.status).toBe(200);
      expect(siwe.answer.body.user_uuid).toBe(userUuid);
      const firstSession = siwe.answer.body.unblock_session_id;
      const replay = await client.loginWithMessage(siwe.message, siwe.signature);
      expect([replay.status, replay.errorId]).toEqual([401, "nonce_already_used"]);
      const tooLong = await client.siweLogin(WALLET, { expirationTime: new Date(client.serverNow().getTime() + 5 * 3600_000) });
      expect([tooLong.answer.status, tooLong.answer.errorId]).toEqual([401, "siwe_invalid"]);

      const eur = await client.bankAccount(firstSession, "EUR");
      expect(eur.status).toBe(200);

      // email code: the second login ends the first session
      expect((await client.requestCode(userUuid)).status).toBe(200);
      const [mail] = await mailbox(sandbox, email);
      const otp = await client.verifyCode(userUuid, mail?.code ?? "");
      expect(otp.status).toBe(200);
      const secondSession = otp.body.unblock_session_id;
      expect(secondSession).not.toBe(firstSession);
      const old = await client.bankAccount(firstSession, "EUR");
      expect([old.status, old.errorId]).toEqual([403, "session_superseded"]);
      const again = await client.bankAccount(secondSession, "EUR");
      expect(again.body).toEqual(eur.body);
      const user = await client.getUser({ userUuid });
      expect(user.body).toMatchObject({ user_uuid: userUuid, email, country: "DE", sign_in_crypto_address: WALLET.address });

      // 4 h later the session is over; a fresh SIWE login (by the sandbox's clock) opens a new one
      await advanceClock(sandbox, 4 * 3600);
      const expired = await client.bankAccount(secondSession, "GBP");
      expect([expired.status, expired.errorId]).toEqual([401, "session_expired"]);
      const relogin = await client.siweLogin(WALLET);
      expect(relogin.answer.status).toBe(200);
      expect((await client.bankAccount(relogin.answer.body.unblock_session_id, "GBP")).status).toBe(200);

      // a wrong key is refused whatever the rest
      const wrongKey = new IndependentUnblockClient(sandbox.unblockUrl, "not-the-key");
      expect((await wrongKey.getUser({ userUuid })).errorId).toBe("unauthorized");
    } finally {
      await sandbox.close();
    }
  });

  it("instances on port 0 share no Unblock state", async () => {
    const [a, b] = await Promise.all([startSandbox({ port: 0 }), startSandbox({ port: 0 })]);
    try {
      const clientA = new IndependentUnblockClient(a.unblockUrl, SANDBOX_DEFAULTS.unblock.apiKey);
      const clientB = new IndependentUnblockClient(b.unblockUrl, SANDBOX_DEFAULTS.unblock.apiKey);
      const input = userInput({ sign_in_crypto_address: WALLET.address });
      const inA = await clientA.createUser(input);
      expect(inA.status).toBe(201);
      expect((await clientB.getUser({ userUuid: inA.body.user_uuid })).status).toBe(404);
      expect((await clientB.createUser(input)).status).toBe(201);
      await control(a, "POST", "/clock", { advanceSeconds: 3600 });
      expect((await clientA.requestCode(inA.body.user_uuid)).status).toBe(200);
      expect(await mailbox(b, String(input.email))).toEqual([]);
      // a message made for instance A (its host) is refused by B
      const { message, signature } = await clientA.siweLogin(WALLET);
      const atB = await clientB.loginWithMessage(message, signature);
      expect([atB.status, atB.errorId]).toEqual([401, "siwe_invalid"]);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });
});
