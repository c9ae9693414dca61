/**
 * The emulator against a client written only from shared/PROVIDERS.md (./independent-client.ts, its own
 * RFC 9421 signer on node:crypto): the whole flow completes, and every refusal the document describes
 * happens.
 */
import { generateKeyPairSync, randomUUID } from "node:crypto";
import { getAddress } from "viem";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { CreatedCustomerSchema, CustomerListSchema, CustomerSchema, TokenResponseSchema } from "@/lib/providers/offblocks/types";
import { startSandbox, type SandboxHandle } from "../server";
import { IndependentOffblocksClient } from "./independent-client";
import {
  caip10,
  control,
  createCustomer,
  decodeChallenge,
  DEFAULT_CREDENTIALS,
  eventually,
  OTHER_WALLET,
  signChallenge,
  startHarness,
  WALLET,
} from "./test-fixtures";

describe("the whole flow, from PROVIDERS.md alone", () => {
  let sandbox: SandboxHandle;
  afterEach(() => sandbox.close());

  it("token → signing key → customer → challenge signed by the wallet → active by itself", async () => {
    sandbox = await startSandbox({ port: 0, autoAdvanceMs: 15 });
    const client = new IndependentOffblocksClient(sandbox.offblocksUrl, { ...DEFAULT_CREDENTIALS });

    const token = await client.fetchToken();
    expect(token.status).toBe(200);
    const tokenBody = TokenResponseSchema.parse(token.body);
    expect(tokenBody.expiresAt - Math.floor(Date.now() / 1000)).toBeGreaterThan(3590);
    expect(tokenBody.expiresAt - Math.floor(Date.now() / 1000)).toBeLessThanOrEqual(3600);

    const key = await client.registerSigningKey();
    expect(key.status).toBe(200);
    expect(key.body.keyId).toEqual(expect.any(String));

    const created = await client.call("POST", "/customers", { body: { chainId: caip10(WALLET), externalId: "user-42" } });
    expect(created.status).toBe(201);
    const customer = CreatedCustomerSchema.parse(created.body);
    expect(customer).toMatchObject({ externalId: "user-42", chainId: caip10(WALLET), status: "initiating" });

    const host = new URL(sandbox.url).host;
    const text = decodeChallenge(customer.challenge);
    const lines = text.split("\n");
    expect(lines[0]).toBe(`${host} wants you to sign in with your Ethereum account:`);
    expect(lines[1]).toBe(getAddress(WALLET.address));
    expect(lines[2]).toBe("");
    expect(lines[3]).toBe(
      "OffBlocks wants to verify ownership of your wallet. By connecting your wallet and using OffBlocks, you agree to our Terms of services and Privacy Policy",
    );
    expect(lines[4]).toBe("");
    expect(lines[5]).toBe(`URI: http://${host}`);
    expect(lines[6]).toBe("Version: 1");
    expect(lines[7]).toBe("Chain ID: 300");
    expect(lines[8]).toMatch(/^Nonce: [A-Za-z0-9]{16}$/);
    expect(lines[9]).toMatch(/^Issued At: \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(lines).toHaveLength(10);

    const signature = await signChallenge(customer.challenge);
    expect(Buffer.from(signature, "base64")).toHaveLength(65);
    const signed = await client.call("POST", `/customers/${customer.id}/challenge/sign`, {
      body: { ownerId: caip10(WALLET), challenge: customer.challenge, signature },
    });
    expect(signed.status).toBe(200);
    expect(CustomerSchema.parse(signed.body).status).toBe("screening");

    const seen = new Set<string>();
    await eventually(async () => {
      const answer = await client.call("GET", `/customers/${customer.id}`);
      const status = CustomerSchema.parse(answer.body).status;
      seen.add(status);
      return status === "active" ? status : undefined;
    });
    expect(seen.has("active")).toBe(true);

    const list = await client.call("GET", `/customers?chainId=${encodeURIComponent(caip10(WALLET).toLowerCase())}`);
    expect(list.status).toBe(200);
    expect(CustomerListSchema.parse(list.body).items.map((c) => c.id)).toEqual([customer.id]);
    const byExternal = await client.call("GET", "/customers?externalId=user-42");
    expect(CustomerListSchema.parse(byExternal.body).items).toHaveLength(1);
    const none = await client.call("GET", "/customers?externalId=someone-else");
    expect(CustomerListSchema.parse(none.body).items).toHaveLength(0);
  });
});

describe("refusals PROVIDERS.md describes", () => {
  let sandbox: SandboxHandle;
  let client: IndependentOffblocksClient;
  beforeEach(async () => {
    ({ sandbox, client } = await startHarness());
  });
  afterEach(() => sandbox.close());

  const body = () => ({ chainId: caip10(WALLET), externalId: "user-1" });

  it("refuses an unsigned request with 401 signature_missing", async () => {
    const answer = await client.call("POST", "/customers", { body: body(), sign: false });
    expect([answer.status, answer.errorCode]).toEqual([401, "signature_missing"]);
    const read = await client.call("GET", "/customers", { sign: false });
    expect([read.status, read.errorCode]).toEqual([401, "signature_missing"]);
  });

  it("refuses any algorithm but ecdsa-p384-sha384", async () => {
    for (const alg of ["ecdsa-p256-sha256", "rsa-pss-sha512", "ed25519", "hmac-sha256"]) {
      const answer = await client.call("POST", "/customers", { body: body(), sign: { alg } });
      expect([answer.status, answer.errorCode]).toEqual([401, "signature_invalid"]);
    }
    const p256 = generateKeyPairSync("ec", { namedCurve: "prime256v1" });
    const answer = await client.call("GET", "/customers", { sign: { privateKey: p256.privateKey } });
    expect([answer.status, answer.errorCode]).toEqual([401, "signature_invalid"]);
  });

  it("refuses a signature that leaves a required component uncovered", async () => {
    for (const omit of ["@method", "@authority", "@path", "authorization", "content-type", "content-digest", "idempotency-key"]) {
      const answer = await client.call("POST", "/customers", { body: body(), sign: { omit: [omit] } });
      expect([omit, answer.status, answer.errorCode]).toEqual([omit, 401, "signature_invalid"]);
    }
    const query = await client.call("GET", "/customers?externalId=user-1", { sign: { omit: ["@query"] } });
    expect([query.status, query.errorCode]).toEqual([401, "signature_invalid"]);
    const withQuery = await client.call("GET", "/customers?externalId=user-1");
    expect(withQuery.status).toBe(200);
  });

  it("refuses a wrong label, a missing created, a corrupted or foreign signature", async () => {
    const label = await client.call("GET", "/customers", { sign: { label: "sig2" } });
    expect([label.status, label.errorCode]).toEqual([401, "signature_invalid"]);
    const noCreated = await client.call("GET", "/customers", { sign: { created: null } });
    expect([noCreated.status, noCreated.errorCode]).toEqual([401, "signature_invalid"]);
    const corrupt = await client.call("GET", "/customers", { sign: { corrupt: true } });
    expect([corrupt.status, corrupt.errorCode]).toEqual([401, "signature_invalid"]);
    const foreign = generateKeyPairSync("ec", { namedCurve: "secp384r1" });
    const other = await client.call("GET", "/customers", { sign: { privateKey: foreign.privateKey } });
    expect([other.status, other.errorCode]).toEqual([401, "signature_invalid"]);
  });

  it("checks created against real time, 300 s both ways, even after the sandbox clock moved", async () => {
    const now = Math.floor(Date.now() / 1000);
    const stale = await client.call("GET", "/customers", { sign: { created: now - 301 } });
    expect([stale.status, stale.errorCode]).toEqual([401, "signature_invalid"]);
    const future = await client.call("GET", "/customers", { sign: { created: now + 301 } });
    expect([future.status, future.errorCode]).toEqual([401, "signature_invalid"]);
    const recent = await client.call("GET", "/customers", { sign: { created: now - 240 } });
    expect(recent.status).toBe(200);

    await control(sandbox, "POST", "/clock", { advanceSeconds: 1800 });
    const afterClock = await client.call("GET", "/customers");
    expect(afterClock.status).toBe(200);
  });

  it("refuses an unknown keyid, and any signature when no key is registered", async () => {
    const unknown = await client.call("GET", "/customers", { sign: { keyId: randomUUID() } });
    expect([unknown.status, unknown.errorCode]).toEqual([401, "signing_key_unknown"]);

    const removed = await client.call("DELETE", "/auth/signing", { sign: false });
    expect(removed.status).toBe(204);
    const none = await client.call("GET", "/customers");
    expect([none.status, none.errorCode]).toEqual([401, "signing_key_unknown"]);
  });

  it("refuses a bad or missing Content-Digest with 400", async () => {
    const wrong = await client.call("POST", "/customers", { body: body(), contentDigest: `sha-256=:${Buffer.alloc(32).toString("base64")}:` });
    expect([wrong.status, wrong.errorCode]).toEqual([400, "content_digest_mismatch"]);
    const missing = await client.call("POST", "/customers", { body: body(), contentDigest: false, sign: { omit: ["content-digest"] } });
    expect([missing.status, missing.errorCode]).toEqual([400, "content_digest_mismatch"]);
    const garbage = await client.call("POST", "/customers", { body: body(), contentDigest: "md5=:abc:" });
    expect([garbage.status, garbage.errorCode]).toEqual([400, "content_digest_mismatch"]);
  });

  it("refuses a write without Idempotency-Key", async () => {
    const answer = await client.call("POST", "/customers", { body: body(), idempotencyKey: false });
    expect([answer.status, answer.errorCode]).toEqual([400, "idempotency_key_missing"]);
    const patch = await client.call("PATCH", `/customers/${randomUUID()}/deactivate`, { idempotencyKey: false });
    expect([patch.status, patch.errorCode]).toEqual([400, "idempotency_key_missing"]);
  });

  it("answers a replay with the identical stored answer, and refuses the key with another payload (422)", async () => {
    const key = randomUUID();
    const first = await client.call("POST", "/customers", { body: body(), idempotencyKey: key });
    expect(first.status).toBe(201);
    const replay = await client.call("POST", "/customers", { body: body(), idempotencyKey: key });
    expect(replay.status).toBe(201);
    expect(replay.text).toBe(first.text);
    const list = await client.call("GET", "/customers");
    expect(CustomerListSchema.parse(list.body).items).toHaveLength(1);

    const other = await client.call("POST", "/customers", { body: { ...body(), externalId: "user-2" }, idempotencyKey: key });
    expect([other.status, other.errorCode]).toEqual([422, "idempotency_key_reused"]);

    // a fresh key for the same customer is a new request: the customer exists
    const again = await client.call("POST", "/customers", { body: body() });
    expect([again.status, again.errorCode]).toEqual([409, "customer_exists"]);
  });

  it("answers 409 to the same key while the first request is in flight", async () => {
    await control(sandbox, "POST", "/faults", { provider: "offblocks", path: "/customers", method: "POST", latencyMs: 300, rate: 1, times: 1 });
    const key = randomUUID();
    const first = client.call("POST", "/customers", { body: body(), idempotencyKey: key });
    await new Promise((resolve) => setTimeout(resolve, 100));
    const second = await client.call("POST", "/customers", { body: body(), idempotencyKey: key });
    expect([second.status, second.errorCode]).toEqual([409, "idempotency_request_in_flight"]);
    const done = await first;
    expect(done.status).toBe(201);
    const replay = await client.call("POST", "/customers", { body: body(), idempotencyKey: key });
    expect(replay.text).toBe(done.text);
  });

  it("answers 401 token_expired once the token's hour passed on the sandbox clock", async () => {
    await control(sandbox, "POST", "/clock", { advanceSeconds: 3601 });
    const answer = await client.call("GET", "/customers");
    expect([answer.status, answer.errorCode]).toEqual([401, "token_expired"]);
    expect((await client.fetchToken()).status).toBe(200);
    expect((await client.call("GET", "/customers")).status).toBe(200);
  });

  it("invalidates every issued token when the credentials are replaced", async () => {
    const oldToken = client.token;
    const newCredentials = { apiKey: randomUUID(), apiSecret: "a-new-secret" };
    const put = await client.call("PUT", "/auth/credentials", { body: newCredentials });
    expect(put.status).toBe(204);

    const stale = await client.call("GET", "/customers", { token: oldToken });
    expect([stale.status, stale.errorCode]).toEqual([401, "unauthorized"]);
    const oldLogin = await client.fetchToken(DEFAULT_CREDENTIALS);
    expect([oldLogin.status, oldLogin.errorCode]).toEqual([401, "unauthorized"]);
    expect((await client.fetchToken(newCredentials)).status).toBe(200);
    // the signing key survives a credentials change
    expect((await client.call("GET", "/customers")).status).toBe(200);
  });

  it("revokes API access for good with DELETE /auth/credentials (until /_sandbox/reset)", async () => {
    const revoked = await client.call("DELETE", "/auth/credentials", { body: { apiKey: DEFAULT_CREDENTIALS.apiKey } });
    expect(revoked.status).toBe(204);
    const call = await client.call("GET", "/customers");
    expect([call.status, call.errorCode]).toEqual([401, "unauthorized"]);
    const login = await client.fetchToken();
    expect([login.status, login.errorCode]).toEqual([401, "unauthorized"]);

    expect((await control(sandbox, "POST", "/reset")).status).toBe(204);
    await client.connect();
    expect((await client.call("GET", "/customers")).status).toBe(200);
  });

  it("refuses a signature submitted with another ownerId", async () => {
    const customer = await createCustomer(client);
    const signature = await signChallenge(customer.challenge);
    for (const ownerId of [caip10(OTHER_WALLET), caip10(WALLET, 1)]) {
      const answer = await client.call("POST", `/customers/${customer.id}/challenge/sign`, {
        body: { ownerId, challenge: customer.challenge, signature },
      });
      expect([answer.status, answer.errorCode]).toEqual([400, "invalid_request"]);
    }
    // the address compares case-insensitively
    const lower = await client.call("POST", `/customers/${customer.id}/challenge/sign`, {
      body: { ownerId: caip10(WALLET).toLowerCase(), challenge: customer.challenge, signature },
    });
    expect(lower.status).toBe(200);
  });

  it("answers 410 to an expired challenge, then GET serves a new one that works", async () => {
    const customer = await createCustomer(client);
    const current = await client.call<{ challenge: string; expiresAt: string }>("GET", `/customers/${customer.id}/challenge`);
    expect(current.body.challenge).toBe(customer.challenge);

    await control(sandbox, "POST", "/clock", { advanceSeconds: 3601 });
    await client.fetchToken();
    const late = await client.call("POST", `/customers/${customer.id}/challenge/sign`, {
      body: { ownerId: caip10(WALLET), challenge: customer.challenge, signature: await signChallenge(customer.challenge) },
    });
    expect([late.status, late.errorCode]).toEqual([410, "challenge_expired"]);

    const fresh = await client.call<{ challenge: string; expiresAt: string }>("GET", `/customers/${customer.id}/challenge`);
    expect(fresh.status).toBe(200);
    expect(fresh.body.challenge).not.toBe(customer.challenge);
    const clockNow = Date.parse(((await control(sandbox, "GET", "/clock")).body as { now: string }).now);
    expect(Date.parse(fresh.body.expiresAt) - clockNow).toBeGreaterThan(3590_000);

    const old = await client.call("POST", `/customers/${customer.id}/challenge/sign`, {
      body: { ownerId: caip10(WALLET), challenge: customer.challenge, signature: await signChallenge(customer.challenge) },
    });
    expect([old.status, old.errorCode]).toEqual([410, "challenge_expired"]);
    const ok = await client.call("POST", `/customers/${customer.id}/challenge/sign`, {
      body: { ownerId: caip10(WALLET), challenge: fresh.body.challenge, signature: await signChallenge(fresh.body.challenge) },
    });
    expect(ok.status).toBe(200);
  });

  it("answers 400 signature_invalid to a bad signature and issues a new challenge", async () => {
    const customer = await createCustomer(client);
    const forged = await signChallenge(customer.challenge, OTHER_WALLET);
    const bad = await client.call("POST", `/customers/${customer.id}/challenge/sign`, {
      body: { ownerId: caip10(WALLET), challenge: customer.challenge, signature: forged },
    });
    expect([bad.status, bad.errorCode]).toEqual([400, "signature_invalid"]);

    const fresh = await client.call<{ challenge: string }>("GET", `/customers/${customer.id}/challenge`);
    expect(fresh.body.challenge).not.toBe(customer.challenge);
    const retry = await client.call("POST", `/customers/${customer.id}/challenge/sign`, {
      body: { ownerId: caip10(WALLET), challenge: customer.challenge, signature: await signChallenge(customer.challenge) },
    });
    expect([retry.status, retry.errorCode]).toEqual([410, "challenge_expired"]);
    const ok = await client.call("POST", `/customers/${customer.id}/challenge/sign`, {
      body: { ownerId: caip10(WALLET), challenge: fresh.body.challenge, signature: await signChallenge(fresh.body.challenge) },
    });
    expect(ok.status).toBe(200);
  });

  it("refuses a signature that is not base64 of exactly 65 bytes", async () => {
    const customer = await createCustomer(client);
    const hex = await WALLET.signMessage({ message: decodeChallenge(customer.challenge) });
    for (const signature of [
      Buffer.from(hex, "utf8").toString("base64"), // base64 of the hex text
      hex,
      Buffer.alloc(64).toString("base64"),
      Buffer.alloc(66).toString("base64"),
      "not base64!",
    ]) {
      const answer = await client.call("POST", `/customers/${customer.id}/challenge/sign`, {
        body: { ownerId: caip10(WALLET), challenge: customer.challenge, signature },
      });
      expect([answer.status, answer.errorCode]).toEqual([400, "invalid_request"]);
    }
    // none of those replaced the challenge
    const current = await client.call<{ challenge: string }>("GET", `/customers/${customer.id}/challenge`);
    expect(current.body.challenge).toBe(customer.challenge);
  });
});
