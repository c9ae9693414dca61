/**
 * Garbage at every Bloq route, the edge (64 KiB, unknown routes), faults and instances: always a 4xx
 * `{code, message}` (or a harmless success), never a 5xx except an injected fault, never a stack trace.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { BloqErrorSchema } from "@/lib/providers/bloq/types";
import type { Answer } from "../http/client-answer";
import type { SandboxHandle } from "../server";
import { bearer, call, type IndependentBloqClient } from "./independent-client";
import { accountToken, clientTokens, control, DEFAULTS, startHarness, WALLET } from "./test-fixtures";

const BAD_BODIES: string[] = [
  "",
  "{",
  "[]",
  "null",
  "0",
  '"text"',
  "{}",
  '{"__proto__": {"polluted": true}, "constructor": {"prototype": {"x": 1}}}',
  '{"grantType": "password", "clientId": "x", "clientSecret": "y"}',
  '{"grantType": "clientCredentials", "clientId": 1, "clientSecret": []}',
  '{"grantType": "refreshToken", "refreshToken": {}}',
  '{"address": 5, "service": "stake", "signature": "0x00", "signedAt": "x"}',
  '{"address": "0x0000000000000000000000000000000000000000", "service": "unstake", "signature": "0x00", "signedAt": "x"}',
  '{"address": "0x0000000000000000000000000000000000000000", "service": "stake", "signature": "zz", "signedAt": "x"}',
  '{"address": "0x0000000000000000000000000000000000000000", "service": "stake", "signature": "0x00", "signedAt": ""}',
  JSON.stringify({ grantType: "refreshToken", refreshToken: "x".repeat(9000) }),
  "[".repeat(30_000),
  "\u0000\u0001\u0002",
  "\uFFFD\uD800",
];

function expectClientError(answer: Answer, what: string) {
  expect(answer.status, `${what}: ${answer.text}`).toBeLessThan(500);
  if (answer.status >= 400 && answer.text !== "jwt expired") {
    expect(BloqErrorSchema.safeParse(answer.body).success, `${what}: ${answer.text}`).toBe(true);
    expect(answer.body).toEqual({ code: expect.stringMatching(/^[a-z_]+$/), message: expect.any(String) });
    expect(answer.text).not.toMatch(/\bat .+\.(ts|js):\d+/);
  }
}

describe("bloq: bad input never answers 5xx", () => {
  let sandbox: SandboxHandle;
  let client: IndependentBloqClient;
  let account: string;
  beforeEach(async () => {
    ({ sandbox, client } = await startHarness());
    account = await accountToken(client);
  });
  afterEach(() => sandbox.close());

  it("malformed JSON bodies: 400 invalid_request", async () => {
    const routes: Array<[string, string]> = [
      [sandbox.bloqAccountsUrl, "/auth/token"],
      [sandbox.bloqStakeUrl, "/auth"],
    ];
    for (const [base, path] of routes) {
      for (const body of BAD_BODIES) {
        const answer = await call(base, "POST", path, { body });
        expectClientError(answer, `${path} ${body.slice(0, 40)}`);
        expect([answer.status, answer.errorCode], `${path} ${body.slice(0, 40)}`).toEqual([400, "invalid_request"]);
      }
    }
  });

  it("bodies are ignored where none is expected; garbage headers and ids are 4xx", async () => {
    for (const body of BAD_BODIES) {
      const keys = await call(sandbox.bloqAccountsUrl, "POST", "/users/me/client-keys", { body, authorization: bearer(account) });
      expect(keys.status).toBe(201);
      const nonce = await call(sandbox.bloqStakeUrl, "POST", `/users/${WALLET.address}/nonce`, { body });
      expect(nonce.status).toBe(200);
    }
    const authorizations = [
      "",
      "Bearer",
      "Bearer  ",
      "Basic",
      "Basic ====",
      `Basic ${"A".repeat(8000)}`,
      `Bearer ${"a.b.c".repeat(1000)}`,
      "Bearer a b",
      "Digest x",
    ];
    for (const authorization of authorizations) {
      for (const [base, method, path] of [
        [sandbox.bloqAccountsUrl, "POST", "/auth"],
        [sandbox.bloqAccountsUrl, "GET", "/users/me/client-keys"],
        [sandbox.bloqConnectUrl, "GET", "/api/v1/status"],
      ] as const) {
        const answer = await call(base, method, path, { authorization });
        expectClientError(answer, `${path} ${authorization.slice(0, 20)}`);
        expect(answer.status).toBe(401);
      }
    }
    for (const id of ["%00", "..%2F..%2Fetc", "%E2%82%AC", "x".repeat(3000), "%ZZ"]) {
      const answer = await fetch(`${sandbox.bloqAccountsUrl}/users/me/client-keys/${id}`, { method: "DELETE", headers: { authorization: bearer(account) } });
      expect(answer.status, id).toBeGreaterThanOrEqual(400);
      expect(answer.status, id).toBeLessThan(500);
    }
    for (const address of ["%00", "0x%ZZ", "0x" + "g".repeat(40), "x".repeat(3000)]) {
      const answer = await fetch(`${sandbox.bloqStakeUrl}/users/${address}/nonce`, { method: "POST" });
      expect(answer.status, address).toBe(400);
    }
  });

  it("refuses a body over 64 KiB with 413, answers unknown routes and methods 404, in Bloq's shape", async () => {
    const big = JSON.stringify({ grantType: "refreshToken", refreshToken: "x".repeat(70_000) });
    for (const [base, path] of [
      [sandbox.bloqAccountsUrl, "/auth/token"],
      [sandbox.bloqStakeUrl, "/auth"],
    ] as const) {
      const answer = await call(base, "POST", path, { body: big });
      expect([answer.status, answer.errorCode]).toEqual([413, "payload_too_large"]);
    }
    for (const [base, method, path] of [
      [sandbox.bloqAccountsUrl, "GET", "/nothing"],
      [sandbox.bloqAccountsUrl, "GET", "/auth"],
      [sandbox.bloqAccountsUrl, "PUT", "/users/me/client-keys"],
      [sandbox.bloqStakeUrl, "GET", `/users/${WALLET.address}/nonce`],
      [sandbox.bloqConnectUrl, "POST", "/api/v1/status"],
      [sandbox.bloqConnectUrl, "GET", "/api/v2/status"],
      [`${sandbox.url}/bloq`, "GET", "/other"],
    ] as const) {
      const answer = await call(base, method, path, { authorization: bearer(account) });
      expect([answer.status, answer.errorCode], `${method} ${path}`).toEqual([404, "not_found"]);
      expect(answer.body).toEqual({ code: "not_found", message: expect.any(String) });
    }
  });

  it("injects faults for the bloq provider by service path, in Bloq's shape", async () => {
    const created = await control(sandbox, "POST", "/faults", { provider: "bloq", path: "/accounts/auth/token", rate: 1, times: 1, status: 502 });
    expect(created.status).toBe(201);
    const faulted = await client.clientCredentials(DEFAULTS.clientId, DEFAULTS.clientSecret);
    expect(faulted.status).toBe(502);
    expect(faulted.body).toEqual({ code: "injected_fault", message: expect.any(String) });
    expect((await client.clientCredentials(DEFAULTS.clientId, DEFAULTS.clientSecret)).status).toBe(200);

    const { accessToken } = await clientTokens(client);
    await control(sandbox, "POST", "/faults", { provider: "bloq", path: "/connect", rate: 1, times: 1 });
    expect((await client.status(accessToken)).status).toBe(503);
    expect((await client.status(accessToken)).status).toBe(200);

    // phase after: the nonce is issued but the answer is lost; a new request replaces it
    await control(sandbox, "POST", "/faults", { provider: "bloq", path: "/stake/users", rate: 1, times: 1, phase: "after" });
    expect((await client.nonce(WALLET.address)).status).toBe(503);
    expect((await client.stakeLogin(WALLET)).login.status).toBe(200);

    // no path: all three services
    await control(sandbox, "POST", "/faults", { provider: "bloq", rate: 1, times: 3, status: 429 });
    expect((await client.accountLogin(DEFAULTS.email, DEFAULTS.password)).status).toBe(429);
    expect((await client.status(accessToken)).status).toBe(429);
    expect((await client.nonce(WALLET.address)).status).toBe(429);
    expect((await client.nonce(WALLET.address)).status).toBe(200);

    // Unblock faults do not touch Bloq
    await control(sandbox, "POST", "/faults", { provider: "unblock", rate: 1 });
    expect((await client.status(accessToken)).status).toBe(200);
  });

  it("stamps answers with the sandbox clock's Date", async () => {
    await control(sandbox, "POST", "/clock", { advanceSeconds: 3 * 86_400 });
    const answer = await client.nonce(WALLET.address);
    expect(Date.parse(answer.headers.get("date") ?? "") - Date.now()).toBeGreaterThan(3 * 86_400_000 - 5000);
  });

  it("instances share no Bloq state", async () => {
    const other = await startHarness();
    try {
      await control(sandbox, "POST", "/bloq/users", { address: WALLET.address, known: false });
      expect((await other.client.nonce(WALLET.address)).status).toBe(200);
      expect((await other.client.listClientKeys(account)).status).toBe(401);
      expect(other.sandbox.bloqStakeUrl).toBe(`${other.sandbox.url}/bloq/stake`);
      expect(other.sandbox.bloqAccountsUrl).toBe(`${other.sandbox.url}/bloq/accounts`);
      expect(other.sandbox.bloqConnectUrl).toBe(`${other.sandbox.url}/bloq/connect`);
    } finally {
      await other.sandbox.close();
    }
  });
});
