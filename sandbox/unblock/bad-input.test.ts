/**
 * Garbage at every Unblock route, the edge (64 KiB, unknown routes), faults, reset and instances: always a
 * 4xx `{error_id, message}` (or a harmless success), never a 5xx except an injected fault, never a stack trace.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { SandboxHandle } from "../server";
import type { Answer, IndependentUnblockClient } from "./independent-client";
import { advanceClock, API_KEY, control, createUser, emailedCode, mailbox, startHarness, userInput, WALLET } from "./test-fixtures";

const BAD_BODIES: Array<string | Uint8Array<ArrayBuffer>> = [
  "",
  "{",
  "[]",
  "null",
  "0",
  '"text"',
  "{}",
  '{"__proto__": {"polluted": true}, "constructor": {"prototype": {"x": 1}}}',
  '{"first_name": {}, "last_name": [], "email": 1, "country": null, "message": 5, "signature": {}, "user_uuid": [], "one_time_password": 123456, "currency": 1}',
  '{"message": "x", "user_uuid": "00000000-0000-0000-0000-000000000000"}',
  JSON.stringify({ message: "x".repeat(9000), signature: "0x00" }),
  JSON.stringify({ first_name: "A".repeat(40_000) }),
  "[".repeat(30_000),
  new Uint8Array([0xff, 0xfe, 0x7b, 0x22, 0x80, 0x22, 0x7d]),
  "\u0000\u0001\u0002",
];

function expectClientError(answer: Answer, what: string) {
  expect(answer.status, `${what}: ${answer.text}`).toBeLessThan(500);
  if (answer.status >= 400) {
    expect(answer.body, `${what}: ${answer.text}`).toEqual({ error_id: expect.stringMatching(/^[a-z_]+$/), message: expect.any(String) });
    expect(answer.text).not.toMatch(/\bat .+\.(ts|js):\d+/);
  }
}

describe("unblock: bad input never answers 5xx", () => {
  let sandbox: SandboxHandle;
  let client: IndependentUnblockClient;
  let session: string;
  beforeEach(async () => {
    ({ sandbox, client } = await startHarness());
    await createUser(client, WALLET);
    session = (await client.siweLogin(WALLET)).answer.body.unblock_session_id;
  });
  afterEach(() => sandbox.close());

  const routes: Array<[string, string]> = [
    ["POST", "/user"],
    ["POST", "/auth/login"],
    ["POST", "/auth/otp"],
    ["POST", "/user/bank-account/unblock"],
  ];

  it("malformed bodies at every route", async () => {
    for (const [method, path] of routes) {
      for (const body of BAD_BODIES) {
        const answer = await client.call(method, path, { body, headers: { "unblock-session-id": session } });
        expectClientError(answer, `${method} ${path}`);
        expect(answer.status, `${method} ${path} ${String(body).slice(0, 40)}`).toBe(400);
      }
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("bad JSON is 400 invalid_request in Unblock's shape; over 64 KiB is 413", async () => {
    const bad = await client.call("POST", "/user", { body: "{" });
    expect(bad.body).toEqual({ error_id: "invalid_request", message: "Request body is not valid JSON" });
    for (const [method, path] of routes) {
      const big = await client.call(method, path, { body: "x".repeat(70 * 1024) });
      expect([big.status, big.errorId], path).toEqual([413, "payload_too_large"]);
      const bigJson = await client.call(method, path, { body: { message: "x".repeat(70 * 1024) } });
      expect([bigJson.status, bigJson.errorId], path).toEqual([413, "payload_too_large"]);
    }
  });

  it("malformed headers and odd methods", async () => {
    const variants: Array<Record<string, string>> = [
      { "unblock-session-id": "\u00ff".repeat(10) },
      { "unblock-session-id": "x".repeat(8000) },
      { "user-uuid": "'; DROP TABLE users; --" },
      { "user-uuid": "%00" },
      { "content-type": "text/plain" },
      { "content-type": "application/json; charset=utf-16" },
    ];
    for (const headers of variants) {
      for (const [method, path] of [...routes, ["GET", "/user"] as [string, string]]) {
        const answer = await client.call(method, path, { headers, body: method === "POST" ? userInput() : undefined });
        expectClientError(answer, `${method} ${path} ${JSON.stringify(headers).slice(0, 60)}`);
      }
    }
    for (const method of ["PUT", "PATCH", "DELETE", "GET"]) {
      for (const path of ["/auth/login", "/auth/otp", "/user/bank-account/unblock", "/user/x"]) {
        const answer = await client.call(method, path);
        expect([answer.status, answer.errorId], `${method} ${path}`).toEqual([404, "not_found"]);
      }
    }
  });

  it("unknown routes are 404 not_found in Unblock's shape; /_sandbox keeps its own shape", async () => {
    for (const path of ["", "/", "/nothing", "/user/", "/auth", "/v1/user", "/user/bank-account/unblock/x"]) {
      const answer = await client.call("GET", path);
      expect(answer.status, path).toBe(404);
      expect(answer.body, path).toEqual({ error_id: "not_found", message: expect.any(String) });
    }
    const control404 = await control(sandbox, "GET", "/nothing");
    expect(control404.body).toEqual({ error: { code: "not_found", message: expect.any(String) } });
    const elsewhere = await fetch(`${sandbox.url}/unblocked/user`);
    expect(await elsewhere.json()).toEqual({ error: { code: "not_found", message: expect.any(String) } });
  });
});

describe("unblock: faults, reset and instances", () => {
  let sandbox: SandboxHandle;
  let client: IndependentUnblockClient;
  beforeEach(async () => {
    ({ sandbox, client } = await startHarness());
  });
  afterEach(() => sandbox.close());

  it("injects faults on Unblock's paths, in Unblock's error shape, without touching OffBlocks", async () => {
    const created = await control(sandbox, "POST", "/faults", { provider: "unblock", path: "/user", method: "POST", rate: 1, times: 1, status: 502 });
    expect(created.status).toBe(201);
    const faulted = await client.createUser(userInput());
    expect(faulted.status).toBe(502);
    expect(faulted.body).toEqual({ error_id: "injected_fault", message: expect.any(String) });
    expect((await client.createUser(userInput())).status).toBe(201);

    await control(sandbox, "POST", "/faults", { provider: "unblock", path: "/auth", rate: 1, phase: "after", status: 503 });
    const lost = await client.requestCode(crypto.randomUUID());
    expect([lost.status, lost.errorId]).toEqual([503, "injected_fault"]);
    const offblocks = await fetch(`${sandbox.offblocksUrl}/auth/token`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
    expect(offblocks.status).toBe(400);
    await control(sandbox, "DELETE", "/faults");

    await control(sandbox, "POST", "/faults", { provider: "unblock", latencyMs: 120, rate: 1, times: 1 });
    const started = Date.now();
    expect((await client.createUser(userInput())).status).toBe(201);
    expect(Date.now() - started).toBeGreaterThanOrEqual(100);
  });

  it("reset empties users, sessions, nonces and the mailbox", async () => {
    const user = await createUser(client, WALLET);
    await emailedCode(client, sandbox, user);
    const { message, signature, answer } = await client.siweLogin(WALLET);
    const session = answer.body.unblock_session_id;
    await advanceClock(sandbox, 60);

    expect((await control(sandbox, "POST", "/reset")).status).toBe(204);
    expect(await mailbox(sandbox, user.email)).toEqual([]);
    expect((await client.getUser({ userUuid: user.uuid })).status).toBe(404);
    expect((await client.bankAccount(session, "EUR")).status).toBe(401);
    expect((await client.call("POST", "/user", { body: userInput(), authorization: `API-Key ${API_KEY}` })).status).toBe(201);
    // the same user again: the email and the nonce are free again
    await createUser(client, WALLET, { email: user.email });
    expect((await client.loginWithMessage(message, signature)).status).toBe(200);
  });

  it("the request log records Unblock calls", async () => {
    await client.createUser(userInput());
    expect(sandbox.requests.at(-1)).toEqual({ method: "POST", path: "/unblock/user", status: 201, seq: sandbox.requests.length });
  });
});
