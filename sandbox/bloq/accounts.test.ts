/** Bloq Accounts: the HTTP Basic login, client keys (secret shown once), both grants, revocation, reset. */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { BLOQ_LIFETIMES, ClientKeyCreatedSchema, ClientKeyListSchema, ClientTokensSchema, RefreshedTokenSchema } from "@/lib/providers/bloq/types";
import type { SandboxHandle } from "../server";
import { BLOQ_SANDBOX_ACCOUNT_ID } from "./state";
import { basic, bearer, call, type IndependentBloqClient } from "./independent-client";
import { accountToken, advanceClock, clientTokens, control, DEFAULTS, lifetimeSeconds, startHarness } from "./test-fixtures";

describe("bloq accounts", () => {
  let sandbox: SandboxHandle;
  let client: IndependentBloqClient;
  beforeEach(async () => {
    ({ sandbox, client } = await startHarness());
  });
  afterEach(() => sandbox.close());

  describe("POST /auth (HTTP Basic)", () => {
    it("answers a 12 h account token for the sandbox account, by email (any case) or user id", async () => {
      const answer = await client.accountLogin(DEFAULTS.email, DEFAULTS.password);
      expect(answer.status).toBe(200);
      expect(answer.body).toEqual({ accessToken: expect.any(String) });
      expect(lifetimeSeconds(answer.body.accessToken)).toBe(BLOQ_LIFETIMES.accountTokenSeconds);
      expect((await client.accountLogin(DEFAULTS.email.toUpperCase(), DEFAULTS.password)).status).toBe(200);
      expect((await client.accountLogin(BLOQ_SANDBOX_ACCOUNT_ID, DEFAULTS.password)).status).toBe(200);
    });

    it("refuses a wrong or missing Basic with 401 and a Basic challenge", async () => {
      const cases: Array<string | undefined> = [
        basic(DEFAULTS.email, "wrong"),
        basic("someone@else.test", DEFAULTS.password),
        basic(DEFAULTS.email, ""),
        undefined,
        "Basic",
        "Basic !!!",
        `Basic ${Buffer.from("no-colon").toString("base64")}`,
        `Bearer ${DEFAULTS.password}`,
      ];
      for (const authorization of cases) {
        const answer = await call(sandbox.bloqAccountsUrl, "POST", "/auth", { authorization });
        expect([answer.status, answer.errorCode], String(authorization)).toEqual([401, "unauthorized"]);
        expect(answer.headers.get("www-authenticate")).toMatch(/^Basic /);
      }
    });

    it("the account token expires after 12 h of sandbox time", async () => {
      const token = await accountToken(client);
      await advanceClock(sandbox, BLOQ_LIFETIMES.accountTokenSeconds - 5);
      expect((await client.listClientKeys(token)).status).toBe(200);
      await advanceClock(sandbox, 10);
      const expired = await client.listClientKeys(token);
      expect([expired.status, expired.text]).toEqual([401, "jwt expired"]);
    });
  });

  describe("client keys", () => {
    it("starts with the default key; a new key's secret is shown once, and never listed", async () => {
      const token = await accountToken(client);
      const initial = await client.listClientKeys(token);
      expect(initial.status).toBe(200);
      expect(ClientKeyListSchema.parse(initial.body).map((k) => k.id)).toEqual([DEFAULTS.clientId]);

      const created = await client.createClientKey(token);
      expect(created.status).toBe(201);
      const key = ClientKeyCreatedSchema.parse(created.body);
      expect(key.clientId).toMatch(/^[0-9a-f]{32}$/);
      expect(key.clientSecret).toMatch(/^[0-9a-f]{64}$/);

      const listed = await client.listClientKeys(token);
      const items = ClientKeyListSchema.parse(listed.body);
      expect(items.map((k) => k.id)).toEqual([DEFAULTS.clientId, key.clientId]);
      for (const item of items) {
        expect(Object.keys(item).sort()).toEqual(["createdAt", "id"]);
        expect(Number.isNaN(Date.parse(item.createdAt))).toBe(false);
      }
      expect(listed.text).not.toContain(key.clientSecret);
      expect(listed.text).not.toContain(DEFAULTS.clientSecret);

      // the new key works for the clientCredentials grant
      expect((await client.clientCredentials(key.clientId, key.clientSecret)).status).toBe(200);
    });

    it("createdAt follows the sandbox clock", async () => {
      const token = await accountToken(client);
      await advanceClock(sandbox, 11 * 3600);
      const key = ClientKeyCreatedSchema.parse((await client.createClientKey(token)).body);
      const item = ClientKeyListSchema.parse((await client.listClientKeys(token)).body).find((k) => k.id === key.clientId);
      expect(Date.parse(item?.createdAt ?? "") - Date.now()).toBeGreaterThan(11 * 3600 * 1000 - 5000);
    });

    it("deletes a key (204), then 404 for it and for unknown ids", async () => {
      const token = await accountToken(client);
      const key = ClientKeyCreatedSchema.parse((await client.createClientKey(token)).body);
      expect((await client.deleteClientKey(token, key.clientId)).status).toBe(204);
      expect(ClientKeyListSchema.parse((await client.listClientKeys(token)).body).map((k) => k.id)).toEqual([DEFAULTS.clientId]);
      const again = await client.deleteClientKey(token, key.clientId);
      expect([again.status, again.errorCode]).toEqual([404, "client_key_not_found"]);
      const unknown = await client.deleteClientKey(token, "nope");
      expect([unknown.status, unknown.errorCode]).toEqual([404, "client_key_not_found"]);
      // a deleted key's credentials stop working
      const refused = await client.clientCredentials(key.clientId, key.clientSecret);
      expect([refused.status, refused.errorCode]).toEqual([401, "invalid_client"]);
    });

    it("refuses client tokens (403) and needs a Bearer account token (401)", async () => {
      const { accessToken, refreshToken } = await clientTokens(client);
      const key = ClientKeyCreatedSchema.parse((await client.createClientKey(await accountToken(client))).body);
      for (const answer of [
        await client.listClientKeys(accessToken),
        await client.createClientKey(accessToken),
        await client.deleteClientKey(accessToken, key.clientId),
      ]) {
        expect([answer.status, answer.errorCode]).toEqual([403, "forbidden"]);
      }
      const none = await call(sandbox.bloqAccountsUrl, "GET", "/users/me/client-keys");
      expect([none.status, none.errorCode]).toEqual([401, "unauthorized"]);
      const garbage = await client.listClientKeys("not-a-jwt");
      expect([garbage.status, garbage.errorCode]).toEqual([401, "invalid_token"]);
      const refresh = await client.listClientKeys(refreshToken);
      expect([refresh.status, refresh.errorCode]).toEqual([401, "invalid_token"]);
      const basicAuth = await call(sandbox.bloqAccountsUrl, "GET", "/users/me/client-keys", { authorization: basic(DEFAULTS.email, DEFAULTS.password) });
      expect(basicAuth.status).toBe(401);
      // the key was not deleted by the client token
      expect(ClientKeyListSchema.parse((await client.listClientKeys(await accountToken(client))).body)).toHaveLength(2);
    });
  });

  describe("POST /auth/token", () => {
    it("clientCredentials → a 1 h access token and a 1 year refresh token", async () => {
      const answer = await client.clientCredentials(DEFAULTS.clientId, DEFAULTS.clientSecret);
      expect(answer.status).toBe(200);
      const tokens = ClientTokensSchema.parse(answer.body);
      expect(Object.keys(answer.body as object).sort()).toEqual(["accessToken", "refreshToken"]);
      expect(lifetimeSeconds(tokens.accessToken)).toBe(BLOQ_LIFETIMES.clientAccessSeconds);
      expect(lifetimeSeconds(tokens.refreshToken)).toBe(BLOQ_LIFETIMES.clientRefreshSeconds);
      expect((await client.status(tokens.accessToken)).status).toBe(200);
    });

    it("refuses a wrong secret or unknown client id with 401 invalid_client", async () => {
      for (const [id, secret] of [
        [DEFAULTS.clientId, "wrong"],
        [DEFAULTS.clientId, DEFAULTS.clientSecret.toUpperCase()],
        ["unknown", DEFAULTS.clientSecret],
      ] as const) {
        const answer = await client.clientCredentials(id, secret);
        expect([answer.status, answer.errorCode]).toEqual([401, "invalid_client"]);
      }
    });

    it("refreshToken → a new 1 h access token, also after the first one expired", async () => {
      const { accessToken, refreshToken } = await clientTokens(client);
      await advanceClock(sandbox, 3601);
      expect((await client.status(accessToken)).text).toBe("jwt expired");
      const refreshed = await client.refresh(refreshToken);
      expect(refreshed.status).toBe(200);
      const { accessToken: fresh } = RefreshedTokenSchema.parse(refreshed.body);
      expect(Object.keys(refreshed.body as object)).toEqual(["accessToken"]);
      expect(fresh).not.toBe(accessToken);
      expect(lifetimeSeconds(fresh)).toBe(BLOQ_LIFETIMES.clientAccessSeconds);
      expect((await client.status(fresh)).status).toBe(200);
      // the refresh token is not single use
      expect((await client.refresh(refreshToken)).status).toBe(200);
    });

    it("refuses an access token, garbage or another instance's token as a refresh token (401 invalid_grant)", async () => {
      const { accessToken } = await clientTokens(client);
      const other = await startHarness();
      try {
        const foreign = (await clientTokens(other.client)).refreshToken;
        for (const token of [accessToken, "garbage", foreign, await accountToken(client)]) {
          const answer = await client.refresh(token);
          expect([answer.status, answer.errorCode]).toEqual([401, "invalid_grant"]);
        }
      } finally {
        await other.sandbox.close();
      }
    });

    it("a refresh token expires after a year: 401 jwt expired", async () => {
      const { refreshToken } = await clientTokens(client);
      await advanceClock(sandbox, BLOQ_LIFETIMES.clientRefreshSeconds + 1);
      const answer = await client.refresh(refreshToken);
      expect([answer.status, answer.text]).toEqual([401, "jwt expired"]);
    });

    it("a deleted key's refresh token and client credentials stop working; its access token lives out its hour", async () => {
      const account = await accountToken(client);
      const key = ClientKeyCreatedSchema.parse((await client.createClientKey(account)).body);
      const tokens = await clientTokens(client, key.clientId, key.clientSecret);
      expect((await client.refresh(tokens.refreshToken)).status).toBe(200);
      expect((await client.deleteClientKey(account, key.clientId)).status).toBe(204);
      const refused = await client.refresh(tokens.refreshToken);
      expect([refused.status, refused.errorCode]).toEqual([401, "invalid_grant"]);
      const credentials = await client.clientCredentials(key.clientId, key.clientSecret);
      expect([credentials.status, credentials.errorCode]).toEqual([401, "invalid_client"]);
      expect((await client.status(tokens.accessToken)).status).toBe(200);
      // the default key is untouched
      expect((await client.refresh((await clientTokens(client)).refreshToken)).status).toBe(200);
    });

    it("reset restores the default key and voids every earlier token", async () => {
      const account = await accountToken(client);
      const { refreshToken } = await clientTokens(client);
      const key = ClientKeyCreatedSchema.parse((await client.createClientKey(account)).body);
      expect((await client.deleteClientKey(account, DEFAULTS.clientId)).status).toBe(204);
      expect((await client.clientCredentials(DEFAULTS.clientId, DEFAULTS.clientSecret)).status).toBe(401);

      expect((await control(sandbox, "POST", "/reset")).status).toBe(204);
      expect((await client.listClientKeys(account)).status).toBe(401);
      expect((await client.refresh(refreshToken)).status).toBe(401);
      expect((await client.clientCredentials(key.clientId, key.clientSecret)).status).toBe(401);
      expect((await client.clientCredentials(DEFAULTS.clientId, DEFAULTS.clientSecret)).status).toBe(200);
      const keys = ClientKeyListSchema.parse((await client.listClientKeys(await accountToken(client))).body);
      expect(keys.map((k) => k.id)).toEqual([DEFAULTS.clientId]);
    });
  });

  it("answers Bearer tokens whatever the scheme's case", async () => {
    const token = await accountToken(client);
    const answer = await call(sandbox.bloqAccountsUrl, "GET", "/users/me/client-keys", { authorization: `bearer ${token}` });
    expect(answer.status).toBe(200);
    expect(bearer(token)).toBe(`Bearer ${token}`);
  });
});
