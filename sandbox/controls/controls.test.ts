/** /_sandbox: clock, faults, reset, the request log, and instances that share nothing. */
import { randomUUID } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { CustomerListSchema } from "@/lib/providers/offblocks/types";
import { IndependentOffblocksClient } from "../offblocks/independent-client";
import { caip10, control, createCustomer, DEFAULT_CREDENTIALS, startHarness, WALLET } from "../offblocks/test-fixtures";
import { startSandbox, type SandboxHandle } from "../server";
import { RequestLog } from "./request-log";

describe("sandbox controls", () => {
  let sandbox: SandboxHandle;
  let client: IndependentOffblocksClient;
  beforeEach(async () => {
    ({ sandbox, client } = await startHarness());
  });
  afterEach(() => sandbox.close());

  it("moves the clock", async () => {
    const before = (await control(sandbox, "GET", "/clock")).body as { now: string; offsetSeconds: number };
    expect(before.offsetSeconds).toBe(0);
    const after = await control(sandbox, "POST", "/clock", { advanceSeconds: 90 });
    expect(after.status).toBe(200);
    const body = after.body as { now: string; offsetSeconds: number };
    expect(body.offsetSeconds).toBe(90);
    expect(Date.parse(body.now) - Date.parse(before.now)).toBeGreaterThanOrEqual(90_000);
  });

  it("injects a fault before processing, at most `times` times, on a path prefix and method", async () => {
    const created = await control(sandbox, "POST", "/faults", { provider: "offblocks", path: "/customers", method: "get", rate: 1, times: 2 });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({ id: expect.any(String) });

    const post = await client.call("POST", "/customers", { body: { chainId: caip10(WALLET), externalId: "u" } });
    expect(post.status).toBe(201); // other method: untouched
    for (let i = 0; i < 2; i++) {
      const faulted = await client.call("GET", "/customers");
      expect([faulted.status, faulted.errorCode]).toEqual([503, "injected_fault"]);
    }
    expect((await client.call("GET", "/customers")).status).toBe(200);
    expect((await client.call("GET", "/webhooks")).status).toBe(200);
  });

  it("answers a chosen status after a latency, and never fires at rate 0", async () => {
    await control(sandbox, "POST", "/faults", { provider: "offblocks", path: "/webhooks", rate: 0, status: 500 });
    expect((await client.call("GET", "/webhooks")).status).toBe(200);
    await control(sandbox, "POST", "/faults", { provider: "offblocks", path: "/auth/token", status: 429, latencyMs: 120, rate: 1 });
    const started = Date.now();
    const answer = await client.fetchToken();
    expect(Date.now() - started).toBeGreaterThanOrEqual(100);
    expect([answer.status, answer.errorCode]).toEqual([429, "injected_fault"]);

    expect((await control(sandbox, "DELETE", "/faults")).status).toBe(204);
    expect((await client.fetchToken()).status).toBe(200);
  });

  it("loses the answer after processing (phase after), and the idempotent retry gets the real one", async () => {
    await control(sandbox, "POST", "/faults", { provider: "offblocks", path: "/customers", method: "POST", rate: 1, times: 1, phase: "after", status: 502 });
    const key = randomUUID();
    const lost = await client.call("POST", "/customers", { body: { chainId: caip10(WALLET), externalId: "u" }, idempotencyKey: key });
    expect([lost.status, lost.errorCode]).toEqual([502, "injected_fault"]);
    const retried = await client.call("POST", "/customers", { body: { chainId: caip10(WALLET), externalId: "u" }, idempotencyKey: key });
    expect(retried.status).toBe(201);
    expect(CustomerListSchema.parse((await client.call("GET", "/customers")).body).items).toHaveLength(1);
  });

  it("a fault before processing leaves nothing remembered: the retry is processed", async () => {
    await control(sandbox, "POST", "/faults", { provider: "offblocks", path: "/customers", rate: 1, times: 1 });
    const key = randomUUID();
    const failed = await client.call("POST", "/customers", { body: { chainId: caip10(WALLET), externalId: "u" }, idempotencyKey: key });
    expect(failed.status).toBe(503);
    expect(CustomerListSchema.parse((await client.call("GET", "/customers")).body).items).toHaveLength(0);
    const retried = await client.call("POST", "/customers", { body: { chainId: caip10(WALLET), externalId: "u" }, idempotencyKey: key });
    expect(retried.status).toBe(201);
  });

  it("forgets idempotency keys after an hour of sandbox time", async () => {
    const key = randomUUID();
    const body = { chainId: caip10(WALLET), externalId: "u" };
    expect((await client.call("POST", "/customers", { body, idempotencyKey: key })).status).toBe(201);
    await control(sandbox, "POST", "/clock", { advanceSeconds: 3601 });
    await client.fetchToken();
    const after = await client.call("POST", "/customers", { body, idempotencyKey: key });
    expect([after.status, after.errorCode]).toEqual([409, "customer_exists"]);
  });

  it("resets to empty state and default credentials", async () => {
    await createCustomer(client);
    await client.call("PUT", "/auth/credentials", { body: { apiKey: randomUUID(), apiSecret: "other" } });
    await control(sandbox, "POST", "/faults", { provider: "offblocks", path: "/nothing", rate: 1 });
    await control(sandbox, "POST", "/clock", { advanceSeconds: 50 });

    expect((await control(sandbox, "POST", "/reset")).status).toBe(204);
    expect(((await control(sandbox, "GET", "/faults")).body as { items: unknown[] }).items).toEqual([]);
    expect(((await control(sandbox, "GET", "/clock")).body as { offsetSeconds: number }).offsetSeconds).toBe(0);
    const stale = await client.call("GET", "/customers");
    expect([stale.status, stale.errorCode]).toEqual([401, "unauthorized"]);
    await client.connect();
    expect(CustomerListSchema.parse((await client.call("GET", "/customers")).body).items).toEqual([]);
  });

  it("logs every request served, and answers unknown controls with 404", async () => {
    const unknown = await control(sandbox, "GET", "/nothing");
    expect(unknown.status).toBe(404);
    expect(sandbox.requests.at(-1)).toEqual({ method: "GET", path: "/_sandbox/nothing", status: 404, seq: sandbox.requests.length });
    expect(sandbox.requests.slice(0, 2)).toEqual([
      { method: "POST", path: "/offblocks/v1/auth/token", status: 200, seq: 1 },
      { method: "PUT", path: "/offblocks/v1/auth/signing", status: 200, seq: 2 },
    ]);
  });

  it("lists the requests served at GET /requests, oldest first, filtered by provider, method and exact path", async () => {
    await client.call("GET", "/customers");
    await client.call("GET", "/customers?status=active");
    const tokens = await control(sandbox, "GET", "/requests?provider=offblocks&method=post&path=/offblocks/v1/auth/token");
    expect(tokens).toMatchObject({ status: 200, body: { items: [{ method: "POST", path: "/offblocks/v1/auth/token", status: 200 }] } });
    const listed = await control(sandbox, "GET", "/requests?provider=offblocks&method=GET");
    expect((listed.body as { items: { path: string }[] }).items.map((r) => r.path)).toEqual(["/offblocks/v1/customers", "/offblocks/v1/customers"]);
    expect(((await control(sandbox, "GET", "/requests?provider=unblock")).body as { items: unknown[] }).items).toEqual([]);
    const all = (await control(sandbox, "GET", "/requests")).body as { items: { path: string }[] };
    expect(all.items[0]?.path).toBe("/offblocks/v1/auth/token");
    expect(all.items.at(-1)?.path).toBe("/_sandbox/requests");
    expect((await control(sandbox, "GET", "/requests?provider=nobody")).status).toBe(400);
    expect((await control(sandbox, "GET", "/requests?path=no-slash")).status).toBe(400);
  });
});

describe("the request log", () => {
  it("keeps only the newest `capacity` requests, oldest first, and counts every one served", () => {
    const log = new RequestLog(3);
    for (let i = 1; i <= 7; i++) log.add({ method: "GET", path: `/offblocks/v1/customers/${i}`, status: 200 });
    expect(log.list().map((r) => r.path)).toEqual(["/offblocks/v1/customers/5", "/offblocks/v1/customers/6", "/offblocks/v1/customers/7"]);
    expect(log.served).toBe(7);
    expect(log.list().map((r) => r.seq)).toEqual([5, 6, 7]);
    expect(log.list({ path: "/offblocks/v1/customers/6" })).toHaveLength(1);
  });
});

describe("instances", () => {
  it("run side by side on port 0 and share no state", async () => {
    const [a, b] = await Promise.all([startSandbox({ port: 0, autoAdvanceMs: false }), startSandbox({ port: 0, autoAdvanceMs: false })]);
    try {
      expect(a.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(a.offblocksUrl).toBe(`${a.url}/offblocks/v1`);
      expect(a.url).not.toBe(b.url);
      const clientA = await new IndependentOffblocksClient(a.offblocksUrl, { ...DEFAULT_CREDENTIALS }).connect();
      const clientB = await new IndependentOffblocksClient(b.offblocksUrl, { ...DEFAULT_CREDENTIALS }).connect();
      await createCustomer(clientA);
      await control(a, "POST", "/clock", { advanceSeconds: 4000 });
      await control(a, "POST", "/faults", { provider: "offblocks", rate: 1 });
      const inB = await clientB.call("GET", "/customers");
      expect(inB.status).toBe(200);
      expect(CustomerListSchema.parse(inB.body).items).toEqual([]);
      expect(b.requests.some((r) => r.path.startsWith("/_sandbox"))).toBe(false);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  it("close() is idempotent and frees the port", async () => {
    const sandbox = await startSandbox({ port: 0 });
    await Promise.all([sandbox.close(), sandbox.close()]);
    await expect(fetch(`${sandbox.url}/_sandbox/clock`)).rejects.toThrow();
  });
});
