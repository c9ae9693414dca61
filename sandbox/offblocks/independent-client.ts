/**
 * Test support: an OffBlocks client written only from shared/PROVIDERS.md, deliberately independent of
 * our own client (lib/http, lib/providers/offblocks) and of the emulator's code. It has its own RFC 9421
 * signer built on node:crypto (signature base per RFC 9421 §2.5 assembled by hand, structured fields
 * formatted by hand) and its own RFC 9530 Content-Digest. When it and the emulator agree, the emulator
 * follows the document, not our client's habits. Every knob a refusal test needs can be turned.
 */
import { createHash, generateKeyPairSync, randomUUID, sign, type KeyObject } from "node:crypto";
import type { Answer } from "../http/client-answer";

/** From PROVIDERS.md: label, algorithm, covered components, parameters. */
export const DOC_LABEL = "sig1";
export const DOC_ALG = "ecdsa-p384-sha384";

export interface Credentials {
  apiKey: string;
  apiSecret: string;
}

export interface SignOptions {
  label?: string;
  alg?: string;
  keyId?: string;
  /** unix seconds; default now */
  created?: number | null;
  /** replaces the documented component list */
  components?: string[];
  /** removed from the documented component list */
  omit?: string[];
  privateKey?: KeyObject;
  /** flips one bit of the signature */
  corrupt?: boolean;
}

export interface CallOptions {
  /** JSON-encoded unless already a string or bytes (sent as they are) */
  body?: unknown;
  /** undefined: a fresh UUID on POST/PUT/PATCH/DELETE; false: none; a string: that key */
  idempotencyKey?: string | false;
  /** false: unsigned */
  sign?: SignOptions | false;
  /** default: the client's token; false: no Authorization header */
  token?: string | false;
  /** false: omit; a string: send this instead of the real digest */
  contentDigest?: string | false;
  /** false: omit */
  contentType?: string | false;
  headers?: Record<string, string>;
}

/** `error.code` of an error answer */
function errorCodeOf(value: unknown): string | undefined {
  if (typeof value !== "object" || value === null || !("error" in value)) return undefined;
  const error = (value as { error: unknown }).error;
  if (typeof error !== "object" || error === null || !("code" in error)) return undefined;
  const code = (error as { code: unknown }).code;
  return typeof code === "string" ? code : undefined;
}

const WRITES = new Set(["POST", "PUT", "PATCH", "DELETE"]);

export function docContentDigest(body: Uint8Array): string {
  return `sha-256=:${createHash("sha256").update(body).digest("base64")}:`;
}

export function docComponents(parts: { query: boolean; body: boolean; idempotencyKey: boolean }): string[] {
  const components = ["@method", "@authority", "@path", "authorization"];
  if (parts.query) components.push("@query");
  if (parts.body) components.push("content-type", "content-digest");
  if (parts.idempotencyKey) components.push("idempotency-key");
  return components;
}

interface MessageParts {
  method: string;
  url: URL;
  headers: Record<string, string>;
}

/** The value of one covered component (RFC 9421 §2.1, §2.2). */
function componentValue(name: string, message: MessageParts): string {
  switch (name) {
    case "@method":
      return message.method.toUpperCase();
    case "@authority":
      return message.url.host.toLowerCase();
    case "@path":
      return message.url.pathname || "/";
    case "@query":
      return message.url.search === "" ? "?" : message.url.search;
    default: {
      // an absent field cannot really be covered: an empty value lets refusal tests send such a signature
      return (message.headers[name] ?? "").trim();
    }
  }
}

/** The signature parameters' serialization: `("@method" …);created=…;keyid="…";alg="…"`. */
export function signatureParams(components: string[], params: { created: number | null; keyId: string; alg: string }): string {
  let value = `(${components.map((c) => `"${c}"`).join(" ")})`;
  if (params.created !== null) value += `;created=${params.created}`;
  value += `;keyid="${params.keyId}";alg="${params.alg}"`;
  return value;
}

/** RFC 9421 §2.5: one line per component, then `"@signature-params": …`, joined with LF, no trailing LF. */
export function signatureBase(components: string[], message: MessageParts, params: string): string {
  const lines = components.map((name) => `"${name}": ${componentValue(name, message)}`);
  lines.push(`"@signature-params": ${params}`);
  return lines.join("\n");
}

export class IndependentOffblocksClient {
  token: string | undefined;
  keyId: string | undefined;
  readonly keys = generateKeyPairSync("ec", { namedCurve: "secp384r1" });

  constructor(
    readonly baseUrl: string,
    public credentials: Credentials,
  ) {}

  async fetchToken(credentials: Credentials = this.credentials): Promise<Answer<{ token: string; expiresAt: number }>> {
    const answer = await this.call<{ token: string; expiresAt: number }>("POST", "/auth/token", {
      body: credentials,
      sign: false,
      token: false,
      idempotencyKey: false,
    });
    if (answer.status === 200) this.token = answer.body.token;
    return answer;
  }

  /** PUT /auth/signing with base64 of the PEM (SPKI) of our P-384 key; Bearer only, unsigned. */
  async registerSigningKey(publicKey: KeyObject = this.keys.publicKey): Promise<Answer<{ keyId: string }>> {
    const pem = publicKey.export({ type: "spki", format: "pem" }).toString();
    const answer = await this.call<{ keyId: string }>("PUT", "/auth/signing", {
      body: { publicKey: Buffer.from(pem, "utf8").toString("base64") },
      sign: false,
    });
    if (answer.status === 200) this.keyId = answer.body.keyId;
    return answer;
  }

  /** token + signing key: what every signed call needs. */
  async connect(): Promise<this> {
    const token = await this.fetchToken();
    if (token.status !== 200) throw new Error(`token: ${token.status} ${token.text}`);
    const key = await this.registerSigningKey();
    if (key.status !== 200) throw new Error(`signing key: ${key.status} ${key.text}`);
    return this;
  }

  async call<T = unknown>(method: string, pathAndQuery: string, options: CallOptions = {}): Promise<Answer<T>> {
    const url = new URL(this.baseUrl + pathAndQuery);
    const headers: Record<string, string> = { accept: "application/json", ...(options.headers ?? {}) };
    const token = options.token === undefined ? this.token : options.token;
    if (token) headers["authorization"] = `Bearer ${token}`;

    let body: Uint8Array<ArrayBuffer> | undefined;
    if (options.body !== undefined) {
      if (options.body instanceof Uint8Array) body = new Uint8Array(options.body);
      else {
        const text = typeof options.body === "string" ? options.body : JSON.stringify(options.body);
        body = new Uint8Array(Buffer.from(text, "utf8"));
      }
      if (options.contentType !== false) headers["content-type"] = options.contentType ?? "application/json";
      if (options.contentDigest !== false) headers["content-digest"] = options.contentDigest ?? docContentDigest(body);
    }
    const key = options.idempotencyKey === undefined ? (WRITES.has(method) ? randomUUID() : false) : options.idempotencyKey;
    if (key !== false) headers["idempotency-key"] = key;

    if (options.sign !== false) {
      const s = options.sign ?? {};
      const documented = docComponents({
        query: url.search !== "",
        body: body !== undefined,
        idempotencyKey: key !== false,
      });
      const components = (s.components ?? documented).filter((c) => !(s.omit ?? []).includes(c));
      const params = signatureParams(components, {
        created: s.created === undefined ? Math.floor(Date.now() / 1000) : s.created,
        keyId: s.keyId ?? this.keyId ?? "none",
        alg: s.alg ?? DOC_ALG,
      });
      const base = signatureBase(components, { method, url, headers }, params);
      const signature = sign("sha384", Buffer.from(base, "utf8"), {
        key: s.privateKey ?? this.keys.privateKey,
        dsaEncoding: "ieee-p1363",
      });
      if (s.corrupt) signature[0] = (signature[0] ?? 0) ^ 1;
      const label = s.label ?? DOC_LABEL;
      headers["signature-input"] = `${label}=${params}`;
      headers["signature"] = `${label}=:${signature.toString("base64")}:`;
    }

    const response = await fetch(url, { method, headers, body });
    const text = await response.text();
    let parsed: unknown = undefined;
    try {
      parsed = text === "" ? undefined : JSON.parse(text);
    } catch {
      parsed = text;
    }
    return { status: response.status, body: parsed as T, errorCode: errorCodeOf(parsed), text, headers: response.headers };
  }
}
