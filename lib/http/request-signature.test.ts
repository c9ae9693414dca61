import { generateKeyPairSync } from "node:crypto";
import { createVerifier, httpbis } from "http-message-signatures";
import { describe, expect, it } from "vitest";
import { contentDigest } from "./content-digest";
import { componentsFor, signRequest, type SignableRequest } from "./request-signature";

const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "secp384r1" });
const other = generateKeyPairSync("ec", { namedCurve: "secp384r1" });

function verify(request: SignableRequest, signatureHeaders: Record<string, string>, key = publicKey) {
  return httpbis.verifyMessage(
    {
      keyLookup: async (params) =>
        params.keyid === "key-1" ? { id: "key-1", algs: ["ecdsa-p384-sha384"], verify: createVerifier(key, "ecdsa-p384-sha384") } : null,
      requiredParams: ["created", "keyid", "alg"],
      requiredFields: ["@method", "@authority", "@path", "authorization"],
      tolerance: 300,
    },
    { method: request.method, url: request.url, headers: { ...request.headers, ...signatureHeaders } },
  );
}

const body = JSON.stringify({ chainId: "eip155:300:0x43158f45b5EbD7b1179130130DF00393928C2691", externalId: "u1" });
const post: SignableRequest = {
  method: "POST",
  url: new URL("http://127.0.0.1:4010/offblocks/v1/customers"),
  headers: {
    authorization: "Bearer t",
    "content-type": "application/json",
    "content-digest": contentDigest(body),
    "idempotency-key": "1f0c2b8e-6a5d-4c3b-9a1e-2d7f8c6b5a40",
  },
};

describe("request signature", () => {
  it("covers the profile's components and verifies with http-message-signatures", async () => {
    const created = new Date("2030-01-01T00:00:00Z");
    const headers = await signRequest(post, { privateKey, keyId: "key-1" }, created);
    expect(headers["signature-input"]).toBe(
      'sig1=("@method" "@authority" "@path" "authorization" "content-type" "content-digest" "idempotency-key");' +
        `created=${created.getTime() / 1000};keyid="key-1";alg="ecdsa-p384-sha384"`,
    );
    const match = /^sig1=:([A-Za-z0-9+/=]+):$/.exec(headers.signature ?? "");
    expect(Buffer.from(match?.[1] ?? "", "base64")).toHaveLength(96); // IEEE-P1363 r‖s for P-384
    const fresh = await signRequest(post, { privateKey, keyId: "key-1" });
    await expect(verify(post, fresh)).resolves.toBe(true);
  });

  it("covers @query when there is one, and nothing about a body when there is none", async () => {
    const get: SignableRequest = {
      method: "GET",
      url: new URL("http://api.example.com/v1/customers?chainId=eip155%3A300%3A0xabc"),
      headers: { authorization: "Bearer t" },
    };
    expect(componentsFor(get)).toEqual(["@method", "@authority", "@path", "authorization", "@query"]);
    const headers = await signRequest(get, { privateKey, keyId: "key-1" });
    await expect(verify(get, headers)).resolves.toBe(true);
    const patch: SignableRequest = {
      ...get,
      method: "PATCH",
      url: new URL("http://api.example.com/v1/x"),
      headers: { authorization: "Bearer t", "idempotency-key": "k" },
    };
    expect(componentsFor(patch)).toEqual(["@method", "@authority", "@path", "authorization", "idempotency-key"]);
  });

  it("does not verify once a covered component changed or with another key", async () => {
    const headers = await signRequest(post, { privateKey, keyId: "key-1" });
    await expect(verify({ ...post, url: new URL("http://127.0.0.1:4010/offblocks/v1/customerz") }, headers)).resolves.toBe(false);
    await expect(verify({ ...post, headers: { ...post.headers, authorization: "Bearer u" } }, headers)).resolves.toBe(false);
    await expect(verify(post, headers, other.publicKey)).resolves.toBe(false);
  });
});
