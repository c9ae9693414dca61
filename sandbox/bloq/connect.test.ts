/** Bloq Connect: `GET /api/v1/status` with an account or client token; `jwt expired` by the sandbox clock. */
import { SignJWT } from "jose";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { BLOQ_JWT_EXPIRED, ConnectStatusSchema } from "@/lib/providers/bloq/types";
import type { SandboxHandle } from "../server";
import { call, type IndependentBloqClient } from "./independent-client";
import { accountToken, advanceClock, clientTokens, startHarness, WALLET } from "./test-fixtures";

describe("bloq connect", () => {
  let sandbox: SandboxHandle;
  let client: IndependentBloqClient;
  beforeEach(async () => {
    ({ sandbox, client } = await startHarness());
  });
  afterEach(() => sandbox.close());

  it("answers {status: ok} to an account token and to a client access token", async () => {
    for (const token of [await accountToken(client), (await clientTokens(client)).accessToken]) {
      const answer = await client.status(token);
      expect(answer.status).toBe(200);
      expect(ConnectStatusSchema.parse(answer.body)).toEqual({ status: "ok" });
    }
  });

  it("answers 401 `jwt expired` (text/plain, exactly) once a client access token is past its hour", async () => {
    const { accessToken } = await clientTokens(client);
    // 10 s short of the hour (real seconds also pass while a loaded CI runs this): still good
    await advanceClock(sandbox, 3590);
    expect((await client.status(accessToken)).status).toBe(200);
    await advanceClock(sandbox, 11);
    const expired = await client.status(accessToken);
    expect(expired.status).toBe(401);
    expect(expired.text).toBe(BLOQ_JWT_EXPIRED);
    expect(expired.headers.get("content-type")).toMatch(/^text\/plain/);
  });

  it("answers 401 {code, message} to no token, garbage, a refresh token, a stake token or a forged one", async () => {
    const none = await call(sandbox.bloqConnectUrl, "GET", "/api/v1/status");
    expect([none.status, none.errorCode]).toEqual([401, "unauthorized"]);
    expect(none.body).toEqual({ code: "unauthorized", message: expect.any(String) });

    const { refreshToken } = await clientTokens(client);
    const stake = (await client.stakeLogin(WALLET)).login.body.token;
    const forged = await new SignJWT({ kind: "account" })
      .setProtectedHeader({ alg: "HS256" })
      .setIssuer("bloq-sandbox")
      .setSubject("x")
      .setExpirationTime("-1h")
      .sign(new Uint8Array(32));
    const none_alg = `${Buffer.from('{"alg":"none"}').toString("base64url")}.${Buffer.from('{"kind":"account"}').toString("base64url")}.`;
    for (const token of ["garbage", refreshToken, stake, forged, none_alg]) {
      const answer = await client.status(token);
      expect([answer.status, answer.errorCode], token).toEqual([401, "invalid_token"]);
      expect(answer.body).toEqual({ code: "invalid_token", message: expect.any(String) });
    }
  });

  it("an expired account token is `jwt expired` too", async () => {
    const token = await accountToken(client);
    await advanceClock(sandbox, 12 * 3600 + 1);
    const answer = await client.status(token);
    expect([answer.status, answer.text]).toEqual([401, BLOQ_JWT_EXPIRED]);
  });
});
