/**
 * The whole Bloq contract, end to end, through a client written only from shared/PROVIDERS.md: the merchant
 * logs in to Accounts, makes a client key, keeps client tokens alive through `jwt expired`, and revokes the
 * key; a wallet signs in to Stake.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { SandboxHandle } from "../server";
import type { IndependentBloqClient } from "./independent-client";
import { advanceClock, DEFAULTS, markUser, OTHER_WALLET, startHarness, WALLET } from "./test-fixtures";

describe("bloq, through an independent client", () => {
  let sandbox: SandboxHandle;
  let client: IndependentBloqClient;
  beforeEach(async () => {
    ({ sandbox, client } = await startHarness());
  });
  afterEach(() => sandbox.close());

  it("merchant side: account login, a new key, client tokens, jwt expired, refresh, revocation", async () => {
    const login = await client.accountLogin(DEFAULTS.email, DEFAULTS.password);
    expect(login.status).toBe(200);
    const account = login.body.accessToken;

    const created = await client.createClientKey(account);
    expect(created.status).toBe(201);
    const { clientId, clientSecret } = created.body;
    const listed = await client.listClientKeys(account);
    expect(listed.body.some((k) => k.id === clientId)).toBe(true);
    expect(listed.text).not.toContain(clientSecret);

    const tokens = await client.clientCredentials(clientId, clientSecret);
    expect(tokens.status).toBe(200);
    expect((await client.status(tokens.body.accessToken)).body).toEqual({ status: "ok" });
    expect((await client.listClientKeys(tokens.body.accessToken)).status).toBe(403);

    await advanceClock(sandbox, 3601);
    const expired = await client.status(tokens.body.accessToken);
    expect([expired.status, expired.text]).toEqual([401, "jwt expired"]);
    const refreshed = await client.refresh(tokens.body.refreshToken);
    expect(refreshed.status).toBe(200);
    expect((await client.status(refreshed.body.accessToken)).status).toBe(200);

    expect((await client.deleteClientKey(account, clientId)).status).toBe(204);
    expect((await client.refresh(tokens.body.refreshToken)).status).toBe(401);
    expect((await client.clientCredentials(clientId, clientSecret)).status).toBe(401);
  });

  it("the default client key works out of the box", async () => {
    const tokens = await client.clientCredentials(DEFAULTS.clientId, DEFAULTS.clientSecret);
    expect(tokens.status).toBe(200);
    expect((await client.status(tokens.body.accessToken)).status).toBe(200);
  });

  it("user side: stake login, replay, wrong signedAt, unknown user", async () => {
    const ok = await client.stakeLogin(WALLET);
    expect(ok.login.status).toBe(200);
    expect(typeof ok.login.body.token).toBe("string");
    const replay = await client.stakeAuth({ address: WALLET.address, service: "stake", signature: ok.signature, signedAt: ok.signedAt });
    expect(replay.status).toBe(401);

    const wrong = await client.stakeLogin(WALLET, { sentSignedAt: new Date(Date.now() + 1000).toISOString() });
    expect(wrong.login.status).toBe(403);

    await markUser(sandbox, OTHER_WALLET.address, false);
    const unknown = await client.nonce(OTHER_WALLET.address.toLowerCase());
    expect(unknown.status).toBe(404);
  });
});
