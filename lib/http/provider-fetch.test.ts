import http from "node:http";
import type { AddressInfo } from "node:net";
import { Writable } from "node:stream";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { AppError } from "../errors";
import { createLogger } from "../log";
import { contentDigest } from "./content-digest";
import { createProviderFetch, type ProviderFetchOptions } from "./provider-fetch";

interface Seen {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}
type Behaviour = (req: http.IncomingMessage, res: http.ServerResponse, attempt: number) => void;

describe("provider fetch", () => {
  let server: http.Server;
  let base: string;
  let seen: Seen[] = [];
  let behaviour: Behaviour = (_req, res) => res.end();
  let lines: Record<string, unknown>[] = [];

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      let body = "";
      req.on("data", (chunk: Buffer) => (body += chunk.toString()));
      req.on("end", () => {
        seen.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers, body });
        behaviour(req, res, seen.length);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
  beforeEach(() => {
    seen = [];
    lines = [];
  });

  const json = (res: http.ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { "content-type": "application/json" });
    res.end(JSON.stringify(body));
  };
  const make = (overrides: Partial<ProviderFetchOptions> = {}) => {
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
        done();
      },
    });
    return createProviderFetch({
      provider: "acme",
      timeoutMs: 1_000,
      maxRetries: 3,
      logger: createLogger({ level: "info" }, sink),
      backoff: { baseDelayMs: 1, maxDelayMs: 5 },
      ...overrides,
    });
  };

  it("retries 5xx with the same body, digest and key, signing every attempt afresh", async () => {
    behaviour = (_req, res, attempt) => (attempt < 3 ? json(res, 503, { error: { code: "x", message: "down" } }) : json(res, 201, { id: "c1" }));
    let signed = 0;
    const response = await make()({
      method: "POST",
      url: `${base}/v1/customers`,
      body: { externalId: "u1" },
      authorization: "Bearer secret-token",
      idempotencyKey: "0b6a3c1e-2f4d-4e5a-8b7c-9d0e1f2a3b4c",
      sign: async () => ({ signature: `sig1=:${++signed}:`, "signature-input": "sig1=()" }),
    });
    expect(response).toMatchObject({ status: 201, body: { id: "c1" }, attempts: 3 });
    expect(seen).toHaveLength(3);
    expect(new Set(seen.map((s) => s.headers["idempotency-key"]))).toEqual(new Set(["0b6a3c1e-2f4d-4e5a-8b7c-9d0e1f2a3b4c"]));
    expect(seen.map((s) => s.headers.signature)).toEqual(["sig1=:1:", "sig1=:2:", "sig1=:3:"]);
    for (const s of seen) {
      expect(s.body).toBe('{"externalId":"u1"}');
      expect(s.headers["content-type"]).toBe("application/json");
      expect(s.headers["content-digest"]).toBe(contentDigest('{"externalId":"u1"}'));
      expect(s.headers.authorization).toBe("Bearer secret-token");
    }
    expect(lines.map((l) => [l.attempt, l.status])).toEqual([
      [1, 503],
      [2, 503],
      [3, 201],
    ]);
    expect(lines[0]).toMatchObject({ provider: "acme", method: "POST", path: "/v1/customers", idempotencyKey: "0b6a3c1e-2f4d-4e5a-8b7c-9d0e1f2a3b4c" });
    expect(JSON.stringify(lines)).not.toContain("secret-token");
  });

  it("returns 4xx at once, without retrying", async () => {
    behaviour = (_req, res) => json(res, 409, { error: { code: "customer_exists", message: "exists" } });
    const response = await make()({ method: "POST", url: `${base}/v1/customers`, body: {} });
    expect(response.status).toBe(409);
    expect(response.body).toEqual({ error: { code: "customer_exists", message: "exists" } });
    expect(seen).toHaveLength(1);
  });

  it("gives up after the bounded retries with <provider>_unavailable", async () => {
    behaviour = (_req, res) => json(res, 500, {});
    const failure = await make({ maxRetries: 2 })({ method: "GET", url: `${base}/v1/x` }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(AppError);
    expect(failure).toMatchObject({ code: "acme_unavailable", status: 502, details: { attempts: 3, upstreamStatus: 500 } });
    expect(seen).toHaveLength(3);
  });

  it("times each attempt out and retries", async () => {
    behaviour = (_req, res, attempt) => (attempt === 1 ? setTimeout(() => json(res, 200, { late: true }), 500) : json(res, 200, { ok: true }));
    const response = await make({ timeoutMs: 100 })({ method: "GET", url: `${base}/v1/slow`, query: { a: "1", b: undefined } });
    expect(response).toMatchObject({ status: 200, body: { ok: true }, attempts: 2 });
    expect(seen[0]?.url).toBe("/v1/slow?a=1");
    expect(lines[0]).toMatchObject({ outcome: "timeout", attempt: 1 });
  });

  it("retries broken connections and refused connections", async () => {
    behaviour = (_req, res, attempt) => (attempt === 1 ? res.socket?.destroy() : json(res, 200, { ok: true }));
    await expect(make()({ method: "GET", url: `${base}/v1/x` })).resolves.toMatchObject({ status: 200, attempts: 2 });

    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const failure = await make({ maxRetries: 1 })({ method: "GET", url: `http://127.0.0.1:${port}/v1/x` }).catch((e: unknown) => e);
    expect(failure).toMatchObject({ code: "acme_unavailable", details: { reason: "network" } });
  });

  it("stops without retrying when the caller aborts", async () => {
    behaviour = (_req, res) => setTimeout(() => json(res, 200, {}), 300);
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error("user went away")), 50);
    await expect(make()({ method: "GET", url: `${base}/v1/x`, signal: controller.signal })).rejects.toThrow("user went away");
    expect(seen).toHaveLength(1);
  });

  it("returns non-JSON and empty bodies as text and null", async () => {
    behaviour = (_req, res, attempt) => {
      res.writeHead(attempt === 1 ? 200 : 204);
      res.end(attempt === 1 ? "plain" : undefined);
    };
    await expect(make()({ method: "GET", url: `${base}/a` })).resolves.toMatchObject({ status: 200, body: "plain" });
    await expect(make()({ method: "DELETE", url: `${base}/a`, idempotencyKey: "k" })).resolves.toMatchObject({ status: 204, body: null });
    expect(seen[1]?.headers["content-type"]).toBeUndefined();
    expect(seen[1]?.headers["content-digest"]).toBeUndefined();
    expect(seen[1]?.headers["idempotency-key"]).toBe("k");
  });
});
