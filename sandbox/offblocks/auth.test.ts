/** /auth: tokens, the signing key registration, credentials. */
import { generateKeyPairSync, randomUUID } from "node:crypto";
import { httpbis, createSigner } from "http-message-signatures";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { contentDigest } from "@/lib/http/content-digest";
import { TokenResponseSchema } from "@/lib/providers/offblocks/types";
import { startSandbox, type SandboxHandle } from "../server";
import { IndependentOffblocksClient } from "./independent-client";
import { caip10, control, DEFAULT_CREDENTIALS, startHarness, WALLET } from "./test-fixtures";

describe("POST /auth/token", () => {
  let sandbox: SandboxHandle;
  let client: IndependentOffblocksClient;
  beforeEach(async () => {
    sandbox = await startSandbox({ port: 0 });
    client = new IndependentOffblocksClient(sandbox.offblocksUrl, { ...DEFAULT_CREDENTIALS });
  });
  afterEach(() => sandbox.close());

  it("issues a Bearer JWT valid one hour by the sandbox clock", async () => {
    await control(sandbox, "POST", "/clock", { advanceSeconds: 7200 });
    const answer = await client.fetchToken();
    expect(answer.status).toBe(200);
    const token = TokenResponseSchema.parse(answer.body);
    expect(token.token.split(".")).toHaveLength(3);
    const sandboxNow = Math.floor(Date.now() / 1000) + 7200;
    expect(Math.abs(token.expiresAt - (sandboxNow + 3600))).toBeLessThanOrEqual(2);
  });

  it("answers 400 to an invalid body and 401 to wrong credentials", async () => {
    for (const body of ["{", "[]", "null", JSON.stringify({ apiKey: "not-a-uuid", apiSecret: "x" }), JSON.stringify({ apiKey: DEFAULT_CREDENTIALS.apiKey })]) {
      const answer = await client.call("POST", "/auth/token", { body, sign: false, token: false, idempotencyKey: false });
      expect([answer.status, answer.errorCode]).toEqual([400, "invalid_request"]);
    }
    const wrongSecret = await client.fetchToken({ apiKey: DEFAULT_CREDENTIALS.apiKey, apiSecret: "wrong" });
    expect([wrongSecret.status, wrongSecret.errorCode]).toEqual([401, "unauthorized"]);
    const wrongKey = await client.fetchToken({ apiKey: randomUUID(), apiSecret: DEFAULT_CREDENTIALS.apiSecret });
    expect([wrongKey.status, wrongKey.errorCode]).toEqual([401, "unauthorized"]);
  });

  it("is counted in the handle's request log", async () => {
    await client.fetchToken();
    await client.fetchToken();
    expect(sandbox.requests.filter((r) => r.path === "/offblocks/v1/auth/token" && r.status === 200)).toHaveLength(2);
  });
});

describe("Bearer tokens", () => {
  let sandbox: SandboxHandle;
  let client: IndependentOffblocksClient;
  beforeEach(async () => {
    ({ sandbox, client } = await startHarness());
  });
  afterEach(() => sandbox.close());

  it("answers 401 unauthorized to a missing, malformed or forged token", async () => {
    const variants: Record<string, string>[] = [{}, { authorization: "Basic abc" }, { authorization: "Bearer" }, { authorization: "Bearer a.b.c" }];
    for (const headers of variants) {
      const answer = await client.call("GET", "/customers", { token: false, headers, sign: false });
      expect([answer.status, answer.errorCode]).toEqual([401, "unauthorized"]);
    }
    const [header, payload] = client.token!.split(".");
    const forged = `${header}.${payload}.${Buffer.alloc(32).toString("base64url")}`;
    const answer = await client.call("GET", "/customers", { token: forged });
    expect([answer.status, answer.errorCode]).toEqual([401, "unauthorized"]);
  });

  it("does not accept tokens of another sandbox instance", async () => {
    const other = await startSandbox({ port: 0 });
    try {
      const otherClient = new IndependentOffblocksClient(other.offblocksUrl, { ...DEFAULT_CREDENTIALS });
      await otherClient.fetchToken();
      const answer = await client.call("GET", "/customers", { token: otherClient.token! });
      expect([answer.status, answer.errorCode]).toEqual([401, "unauthorized"]);
    } finally {
      await other.close();
    }
  });
});

describe("PUT/DELETE /auth/signing", () => {
  let sandbox: SandboxHandle;
  let client: IndependentOffblocksClient;
  beforeEach(async () => {
    ({ sandbox, client } = await startHarness());
  });
  afterEach(() => sandbox.close());

  const put = (publicKey: unknown) => client.call("PUT", "/auth/signing", { body: { publicKey }, sign: false });
  const pemBase64 = (pem: string) => Buffer.from(pem, "utf8").toString("base64");

  it("refuses what is not base64 of a P-384 SPKI PEM public key", async () => {
    const p256 = generateKeyPairSync("ec", { namedCurve: "prime256v1" }).publicKey.export({ type: "spki", format: "pem" }).toString();
    const rsa = generateKeyPairSync("rsa", { modulusLength: 1024 }).publicKey.export({ type: "spki", format: "pem" }).toString();
    const ed = generateKeyPairSync("ed25519").publicKey.export({ type: "spki", format: "pem" }).toString();
    const p384 = generateKeyPairSync("ec", { namedCurve: "secp384r1" });
    const privatePem = p384.privateKey.export({ type: "pkcs8", format: "pem" }).toString();
    const publicPem = p384.publicKey.export({ type: "spki", format: "pem" }).toString();
    const der = p384.publicKey.export({ type: "spki", format: "der" }).toString("base64");
    for (const publicKey of [
      pemBase64(p256),
      pemBase64(rsa),
      pemBase64(ed),
      pemBase64(privatePem),
      publicPem, // not base64-encoded
      der,
      pemBase64("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n"),
      "garbage!!",
      "",
      42,
    ]) {
      const answer = await put(publicKey);
      expect([answer.status, answer.errorCode]).toEqual([400, "invalid_request"]);
    }
    expect((await put(pemBase64(publicPem))).status).toBe(200);
  });

  it("replaces the key: the old keyid becomes unknown", async () => {
    const oldKeyId = client.keyId!;
    const next = generateKeyPairSync("ec", { namedCurve: "secp384r1" });
    const answer = await client.registerSigningKey(next.publicKey);
    expect(answer.status).toBe(200);
    expect(answer.body.keyId).not.toBe(oldKeyId);
    const old = await client.call("GET", "/customers", { sign: { keyId: oldKeyId } });
    expect([old.status, old.errorCode]).toEqual([401, "signing_key_unknown"]);
    const fresh = await client.call("GET", "/customers", { sign: { privateKey: next.privateKey } });
    expect(fresh.status).toBe(200);
  });

  it("needs a Bearer token but no signature, and honours an Idempotency-Key when given", async () => {
    const noToken = await client.call("PUT", "/auth/signing", { body: { publicKey: "x" }, sign: false, token: false });
    expect([noToken.status, noToken.errorCode]).toEqual([401, "unauthorized"]);
    const pem = client.keys.publicKey.export({ type: "spki", format: "pem" }).toString();
    const key = randomUUID();
    const first = await client.call("PUT", "/auth/signing", { body: { publicKey: pemBase64(pem) }, sign: false, idempotencyKey: key });
    const replay = await client.call("PUT", "/auth/signing", { body: { publicKey: pemBase64(pem) }, sign: false, idempotencyKey: key });
    expect(replay.text).toBe(first.text);
    const none = await client.call("PUT", "/auth/signing", { body: { publicKey: pemBase64(pem) }, sign: false, idempotencyKey: false });
    expect(none.status).toBe(200);
  });
});

describe("signatures made with the http-message-signatures library", () => {
  let sandbox: SandboxHandle;
  let client: IndependentOffblocksClient;
  beforeEach(async () => {
    ({ sandbox, client } = await startHarness());
  });
  afterEach(() => sandbox.close());

  it("are accepted when they follow the profile", async () => {
    const url = `${sandbox.offblocksUrl}/customers`;
    const body = JSON.stringify({ chainId: caip10(WALLET), externalId: "lib" });
    const signed = await httpbis.signMessage(
      {
        key: createSigner(client.keys.privateKey, "ecdsa-p384-sha384", client.keyId),
        name: "sig1",
        params: ["created", "keyid", "alg"],
        fields: ["@method", "@authority", "@path", "authorization", "content-type", "content-digest", "idempotency-key"],
      },
      {
        method: "POST",
        url,
        headers: {
          authorization: `Bearer ${client.token}`,
          "content-type": "application/json",
          "content-digest": contentDigest(body),
          "idempotency-key": randomUUID(),
        },
      },
    );
    const response = await fetch(url, { method: "POST", headers: signed.headers as Record<string, string>, body });
    expect(response.status).toBe(201);
  });
});
