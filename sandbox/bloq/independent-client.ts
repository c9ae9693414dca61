/**
 * Test support: a Bloq client written only from shared/PROVIDERS.md (Bloq part), independent of our own
 * client (lib/providers/bloq) and of the emulator's code: plain fetch, HTTP Basic for the account login,
 * Bearer tokens, the two `/auth/token` grants, Connect's status, and the Stake login with the sign-in text
 * typed out here from the doc (not imported) and signed with a viem local account.
 */
import type { PrivateKeyAccount } from "viem/accounts";
import type { Answer } from "../http/client-answer";

export interface CallOptions {
  /** JSON-encoded unless already a string (sent as it is) */
  body?: unknown;
  /** the Authorization header; none when left out */
  authorization?: string;
  headers?: Record<string, string>;
}

export interface BloqUrls {
  accounts: string;
  stake: string;
  connect: string;
}

/** `code` of a `{code, message}` error answer */
function errorCodeOf(value: unknown): string | undefined {
  if (typeof value !== "object" || value === null || !("code" in value) || !("message" in value)) return undefined;
  return typeof value.code === "string" ? value.code : undefined;
}

/** The text PROVIDERS.md gives, word for word. */
export function signInText(address: string, nonce: string, signedAt: string): string {
  return `api.bloq.com wants you to sign in with your Ethereum account:
${address}

Signing In With Ethereum on Bloq

URI: https://api.bloq.com
Version: 1
Chain ID: 1
Nonce: ${nonce}
Issued At: ${signedAt}`;
}

export async function call<T = unknown>(baseUrl: string, method: string, path: string, options: CallOptions = {}): Promise<Answer<T>> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.authorization !== undefined) headers.authorization = options.authorization;
  let body: string | undefined;
  if (options.body !== undefined) {
    body = typeof options.body === "string" ? options.body : JSON.stringify(options.body);
    headers["content-type"] ??= "application/json";
  }
  const response = await fetch(`${baseUrl}${path}`, { method, headers, body });
  const text = await response.text();
  let parsed: unknown = text;
  if ((response.headers.get("content-type") ?? "").includes("json") && text !== "") parsed = JSON.parse(text) as unknown;
  return { status: response.status, body: parsed as T, errorCode: errorCodeOf(parsed), text, headers: response.headers };
}

export const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`, "utf8").toString("base64")}`;
export const bearer = (token: string) => `Bearer ${token}`;

export class IndependentBloqClient {
  constructor(readonly urls: BloqUrls) {}

  // Accounts
  accountLogin(email: string, password: string) {
    return call<{ accessToken: string }>(this.urls.accounts, "POST", "/auth", { authorization: basic(email, password) });
  }

  createClientKey(accountToken: string) {
    return call<{ clientId: string; clientSecret: string }>(this.urls.accounts, "POST", "/users/me/client-keys", {
      authorization: bearer(accountToken),
    });
  }

  listClientKeys(token: string) {
    return call<Array<{ id: string; createdAt: string }>>(this.urls.accounts, "GET", "/users/me/client-keys", { authorization: bearer(token) });
  }

  deleteClientKey(token: string, id: string) {
    return call(this.urls.accounts, "DELETE", `/users/me/client-keys/${encodeURIComponent(id)}`, { authorization: bearer(token) });
  }

  clientCredentials(clientId: string, clientSecret: string) {
    return call<{ accessToken: string; refreshToken: string }>(this.urls.accounts, "POST", "/auth/token", {
      body: { grantType: "clientCredentials", clientId, clientSecret },
    });
  }

  refresh(refreshToken: string) {
    return call<{ accessToken: string }>(this.urls.accounts, "POST", "/auth/token", { body: { grantType: "refreshToken", refreshToken } });
  }

  // Connect
  status(token: string) {
    return call<{ status: string }>(this.urls.connect, "GET", "/api/v1/status", { authorization: bearer(token) });
  }

  // Stake
  nonce(address: string) {
    return call<{ nonce: string }>(this.urls.stake, "POST", `/users/${address}/nonce`);
  }

  stakeAuth(body: { address: string; service: string; signature: string; signedAt: string }) {
    return call<{ token: string }>(this.urls.stake, "POST", "/auth", { body });
  }

  /** nonce → text → personal_sign → login; `signedAt` in the login may differ from the signed one */
  async stakeLogin(account: PrivateKeyAccount, options: { signedAt?: string; sentSignedAt?: string; address?: string } = {}) {
    const address = options.address ?? account.address;
    const nonce = await this.nonce(address);
    if (nonce.status !== 200) throw new Error(`nonce: ${nonce.status} ${nonce.text}`);
    const signedAt = options.signedAt ?? new Date().toISOString();
    const signature = await account.signMessage({ message: signInText(account.address, nonce.body.nonce, signedAt) });
    const login = await this.stakeAuth({ address, service: "stake", signature, signedAt: options.sentSignedAt ?? signedAt });
    return { nonce: nonce.body.nonce, signature, signedAt, login };
  }
}
