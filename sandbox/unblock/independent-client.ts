/**
 * Test support: an Unblock client written only from shared/PROVIDERS.md (Unblock part), independent of our
 * own client (lib/providers/unblock) and of the emulator's code: plain fetch, the `API-Key ` header, the
 * SIWE message built with viem's `createSiweMessage` as the doc describes (domain = API host, statement
 * "Sign in with Ethereum", uri = `<base>/auth/login`, version 1, a fresh nonce, expiration now + 4 h) and
 * signed with a viem local account. "Now" is the server's clock as its `Date` header tells it, so the
 * client follows `/_sandbox/clock` the way a skew-correcting client follows a real server.
 */
import type { PrivateKeyAccount } from "viem/accounts";
import { createSiweMessage, generateSiweNonce } from "viem/siwe";

export interface Answer<T = unknown> {
  status: number;
  body: T;
  /** `error_id` of an error answer */
  errorId: string | undefined;
  /** `message` of an error answer */
  errorMessage: string | undefined;
  text: string;
  headers: Headers;
}

export interface CallOptions {
  /** JSON-encoded unless already a string or bytes (sent as they are) */
  body?: unknown;
  /** default `API-Key <the client's key>`; false: no Authorization header */
  authorization?: string | false;
  headers?: Record<string, string>;
}

export interface SiweOptions {
  nonce?: string;
  chainId?: number;
  domain?: string;
  uri?: string;
  statement?: string;
  issuedAt?: Date;
  /** null: no Expiration Time line */
  expirationTime?: Date | null;
  notBefore?: Date;
  address?: `0x${string}`;
}

const HOURS_4 = 4 * 3600 * 1000;

function stringField(value: unknown, field: "error_id" | "message"): string | undefined {
  if (typeof value !== "object" || value === null || !(field in value) || !("error_id" in value)) return undefined;
  const found = (value as Record<string, unknown>)[field];
  return typeof found === "string" ? found : undefined;
}

export class IndependentUnblockClient {
  /** server time minus local time, learnt from the last answer's Date header (second precision) */
  #skewMs = 0;

  constructor(
    readonly baseUrl: string,
    readonly apiKey: string,
  ) {}

  /** The server's idea of now, floored to the second (what a Date header can tell). */
  serverNow(): Date {
    return new Date(Math.floor((Date.now() + this.#skewMs) / 1000) * 1000);
  }

  async call<T = unknown>(method: string, path: string, options: CallOptions = {}): Promise<Answer<T>> {
    const headers: Record<string, string> = { ...options.headers };
    if (options.authorization !== false) headers.authorization = options.authorization ?? `API-Key ${this.apiKey}`;
    let body: string | Uint8Array<ArrayBuffer> | undefined;
    if (options.body !== undefined) {
      body = typeof options.body === "string" ? options.body : options.body instanceof Uint8Array ? new Uint8Array(options.body) : JSON.stringify(options.body);
      headers["content-type"] ??= "application/json";
    }
    const response = await fetch(`${this.baseUrl}${path}`, { method, headers, body });
    const date = response.headers.get("date");
    if (date) this.#skewMs = Date.parse(date) - Date.now();
    const text = await response.text();
    let parsed: unknown;
    try {
      parsed = text === "" ? undefined : JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    return {
      status: response.status,
      body: parsed as T,
      errorId: stringField(parsed, "error_id"),
      errorMessage: stringField(parsed, "message"),
      text,
      headers: response.headers,
    };
  }

  createUser(user: Record<string, unknown>) {
    return this.call<{ user_uuid: string; status: string }>("POST", "/user", { body: user });
  }

  getUser(by: { userUuid?: string; sessionId?: string }) {
    const headers: Record<string, string> = {};
    if (by.userUuid !== undefined) headers["user-uuid"] = by.userUuid;
    if (by.sessionId !== undefined) headers["unblock-session-id"] = by.sessionId;
    return this.call<Record<string, unknown>>("GET", "/user", { headers });
  }

  /** The EIP-4361 text the doc prescribes, for `account`. */
  siweMessage(account: PrivateKeyAccount, options: SiweOptions = {}): string {
    const base = new URL(this.baseUrl);
    const now = options.issuedAt ?? this.serverNow();
    const expirationTime = options.expirationTime === undefined ? new Date(now.getTime() + HOURS_4) : options.expirationTime;
    return createSiweMessage({
      domain: options.domain ?? base.host,
      address: options.address ?? account.address,
      statement: options.statement ?? "Sign in with Ethereum",
      uri: options.uri ?? `${this.baseUrl}/auth/login`,
      version: "1",
      chainId: options.chainId ?? 80002,
      nonce: options.nonce ?? generateSiweNonce(),
      issuedAt: now,
      ...(expirationTime === null ? {} : { expirationTime }),
      ...(options.notBefore ? { notBefore: options.notBefore } : {}),
    });
  }

  async loginWithMessage(message: string, signature: string) {
    return this.call<{ user_uuid: string; unblock_session_id: string }>("POST", "/auth/login", { body: { message, signature } });
  }

  async siweLogin(account: PrivateKeyAccount, options: SiweOptions = {}) {
    const message = this.siweMessage(account, options);
    const signature = await account.signMessage({ message });
    return { message, signature, answer: await this.loginWithMessage(message, signature) };
  }

  requestCode(userUuid: string) {
    return this.call<{ user_uuid: string; message: string }>("POST", "/auth/login", { body: { user_uuid: userUuid } });
  }

  verifyCode(userUuid: string, code: string) {
    return this.call<{ user_uuid: string; unblock_session_id: string }>("POST", "/auth/otp", {
      body: { one_time_password: code, user_uuid: userUuid },
    });
  }

  bankAccount(sessionId: string | undefined, currency: string) {
    const headers: Record<string, string> = sessionId === undefined ? {} : { "unblock-session-id": sessionId };
    return this.call<Record<string, string>>("POST", "/user/bank-account/unblock", { body: { currency }, headers });
  }
}
