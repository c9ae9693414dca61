/**
 * Garbage at every route: malformed bodies, headers, ids, queries and raw HTTP. The emulator answers a
 * 4xx JSON error (or a success where the garbage is harmless), never a 5xx, never a stack trace.
 */
import { connect } from "node:net";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { SandboxHandle } from "../server";
import type { Answer } from "../http/client-answer";
import type { CallOptions, IndependentOffblocksClient } from "./independent-client";
import { createCustomer, startHarness } from "./test-fixtures";

const BAD_BODIES: Array<string | Uint8Array<ArrayBuffer>> = [
  "{",
  "[]",
  "null",
  "0",
  '"text"',
  "{}",
  '{"__proto__": {"polluted": true}, "constructor": {"prototype": {"x": 1}}}',
  '{"apiKey": {}, "apiSecret": [], "publicKey": 1, "chainId": null, "externalId": {}, "ownerId": 5, "challenge": [], "signature": {}, "callbackUrl": 1, "types": "x", "id": 7, "advanceSeconds": "1"}',
  JSON.stringify({ chainId: "eip155:300:0x" + "a".repeat(40), externalId: "x".repeat(40_000) }),
  "[".repeat(30_000),
  new Uint8Array([0xff, 0xfe, 0x7b, 0x22, 0x80, 0x22, 0x7d]),
  "\u0000\u0001\u0002",
];

function expectClientError(answer: Answer, what: string) {
  expect(answer.status, `${what}: ${answer.text}`).toBeLessThan(500);
  if (answer.status >= 400) {
    expect(answer.errorCode, `${what}: ${answer.text}`).toMatch(/^[a-z_]+$/);
    expect(answer.text).not.toMatch(/\bat .+\.(ts|js):\d+/);
  }
}

describe("bad input never answers 5xx", () => {
  let sandbox: SandboxHandle;
  let client: IndependentOffblocksClient;
  let customerId: string;
  beforeEach(async () => {
    ({ sandbox, client } = await startHarness({ autoAdvanceMs: false }));
    customerId = (await createCustomer(client)).id;
  });
  afterEach(() => sandbox.close());

  const routes = (id: string): Array<[string, string]> => [
    ["POST", "/auth/token"],
    ["PUT", "/auth/credentials"],
    ["DELETE", "/auth/credentials"],
    ["PUT", "/auth/signing"],
    ["POST", "/customers"],
    ["GET", "/customers"],
    ["GET", `/customers/${id}`],
    ["GET", `/customers/${id}/challenge`],
    ["POST", `/customers/${id}/challenge/sign`],
    ["PATCH", `/customers/${id}/deactivate`],
    ["PATCH", `/simulator/customers/${id}/verify`],
    ["PATCH", `/simulator/customers/${id}/reject`],
    ["PUT", "/webhooks"],
    ["GET", "/webhooks"],
    ["GET", `/webhooks/${id}`],
    ["DELETE", `/webhooks/${id}`],
    ["DELETE", "/auth/signing"],
  ];

  it("malformed bodies, properly signed, at every route", async () => {
    for (const [method, path] of routes(customerId)) {
      if (method === "GET") continue; // fetch sends no body with GET
      for (const body of BAD_BODIES) {
        const answer = await client.call(method, path, { body });
        expectClientError(answer, `${method} ${path}`);
      }
      if (path === "/auth/signing") await client.registerSigningKey();
    }
    const token = await client.call("POST", "/auth/token", { body: "x".repeat(70 * 1024), sign: false, token: false });
    expect([token.status, token.errorCode]).toEqual([413, "payload_too_large"]);
    const big = await client.call("POST", "/customers", { body: "x".repeat(70 * 1024) });
    expect([big.status, big.errorCode]).toEqual([413, "payload_too_large"]);
  });

  it("malformed headers at every route", async () => {
    const variants: CallOptions[] = [
      { token: false, sign: false },
      { token: "x".repeat(8000) },
      { headers: { authorization: "Bearer \u00ff" }, token: false },
      { sign: false, headers: { "signature-input": 'sig1=("@method"', signature: "sig1=:abc:" } },
      { sign: false, headers: { "signature-input": "sig1=:AAAA:", signature: "sig1=(" } },
      { sign: false, headers: { "signature-input": 'sig1=("@method" "@nope;x");created=abc;keyid=1;alg=2', signature: "sig1=:!!!:" } },
      { sign: false, headers: { "signature-input": 'sig1=("@query-param";name="q");created=1', signature: "sig1=:AAAA:" } },
      { sign: false, headers: { "signature-input": "sig1=()", signature: "" } },
      { sign: { components: ["@method", "@authority", "@path", "authorization", '@query-param;name="x"'] } },
      { sign: { components: ["@status", "@request-target", "@target-uri", "@scheme", "x-missing"] } },
      { sign: { keyId: "" } },
      { sign: { created: 1e15 } },
      { idempotencyKey: "not-a-uuid" },
      { idempotencyKey: "x".repeat(5000) },
      { body: { a: 1 }, contentType: "text/plain" },
      { body: { a: 1 }, contentType: false },
      { body: { a: 1 }, contentDigest: "sha-256=:%%%:, sha-512=:" },
      { body: { a: 1 }, contentDigest: "" },
    ];
    for (const [method, path] of routes(customerId).filter(([, p]) => p !== "/auth/signing")) {
      for (const options of variants) {
        if (method === "GET" && options.body !== undefined) continue;
        expectClientError(await client.call(method, path, options), `${method} ${path} ${JSON.stringify(options).slice(0, 120)}`);
      }
    }
  });

  it("odd ids, paths and queries", async () => {
    const weird = ["%zz", "%E0%A4%A", "..%2F..%2Fetc", "a".repeat(3000), "%00", "' OR 1=1 --", "😀"];
    for (const id of weird) {
      for (const [method, path] of routes(encodeURI(id).replace(/%25/g, "%"))) {
        if (path.startsWith("/auth")) continue;
        const body = method === "GET" ? undefined : { ownerId: "x", challenge: "y", signature: "z" };
        expectClientError(await client.call(method, path, { body }), `${method} ${path}`);
      }
    }
    for (const query of ["?chainId=%zz", "?externalId=%E0%A4%A", "?chainId=&externalId=", "?%zz=1", "?chainId=a&chainId=b", "?" + "q=1&".repeat(500)]) {
      expectClientError(await client.call("GET", `/customers${query}`), query);
    }
    for (const path of ["/nothing", "/customers/a/b/c", "/", ""]) {
      const answer = await client.call("GET", path);
      expectClientError(answer, path);
    }
    const wrongMethod = await client.call("PUT", "/customers");
    expect([wrongMethod.status, wrongMethod.errorCode]).toEqual([404, "not_found"]);
  });

  it("sandbox controls", async () => {
    for (const [method, path] of [
      ["POST", "/clock"],
      ["POST", "/faults"],
      ["DELETE", "/faults"],
      ["GET", "/webhooks/deliveries"],
      ["GET", "/nothing"],
    ] as const) {
      for (const body of BAD_BODIES) {
        const response = await fetch(`${sandbox.url}/_sandbox${path}`, { method, body: method === "GET" ? undefined : body });
        const text = await response.text();
        expect(response.status, `${method} ${path}: ${text}`).toBeLessThan(500);
      }
    }
    for (const body of [{ advanceSeconds: "1" }, { advanceSeconds: 1e300 }, { advanceSeconds: null }]) {
      const response = await fetch(`${sandbox.url}/_sandbox/clock`, { method: "POST", body: JSON.stringify(body) });
      expect(response.status).toBe(400);
    }
    for (const body of [
      { provider: "nobody", rate: 1 },
      { provider: "offblocks", rate: 2 },
      { provider: "offblocks" },
      { provider: "offblocks", rate: 1, status: 200 },
      { provider: "offblocks", rate: 1, phase: "during" },
    ]) {
      const response = await fetch(`${sandbox.url}/_sandbox/faults`, { method: "POST", body: JSON.stringify(body) });
      expect(response.status).toBe(400);
    }
  });

  it("raw HTTP garbage", async () => {
    const { port } = new URL(sandbox.url);
    const send = (raw: string) =>
      new Promise<string>((resolve) => {
        const socket = connect(Number(port), "127.0.0.1", () => socket.end(raw));
        let data = "";
        socket.on("data", (chunk) => (data += chunk.toString("latin1")));
        socket.on("close", () => resolve(data));
        socket.on("error", () => resolve(data));
      });
    for (const raw of [
      "GET /offblocks/v1/customers HTTP/1.1\r\nHost: evil host\r\nConnection: close\r\n\r\n",
      "GET /offblocks/v1/customers HTTP/1.1\r\nConnection: close\r\n\r\n",
      "POST /offblocks/v1/auth/token HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n",
      "POST /offblocks/v1/auth/token HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\nZZ\r\n",
      "BREW /offblocks/v1/customers HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n",
      "GET /offblocks/v1/customers/\u0000 HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n",
      "garbage\r\n\r\n",
    ]) {
      const answer = await send(raw);
      if (answer !== "") expect(answer, JSON.stringify(raw)).toMatch(/^HTTP\/1\.1 4\d\d /);
    }
    // the server still serves afterwards
    expect((await client.call("GET", "/customers")).status).toBe(200);
  });
});
