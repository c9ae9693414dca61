/**
 * Bloq Accounts with the merchant's account login (HTTP Basic email:password → account access token, 12 h):
 * the client keys the app's client tokens are obtained with. Used by the operator CLI
 * (`npm run cli -- bloq client-keys …`), never by a request of a user. Client tokens cannot call Accounts.
 */
import { AppError } from "../../errors";
import { isSuccess, type ProviderFetch } from "../../http/provider-fetch";
import { BLOQ_ERROR, bloqError, parseAnswer } from "./errors";
import { AccountTokenSchema, ClientKeyCreatedSchema, ClientKeyListSchema, type ClientKeyCreated, type ClientKeyList } from "./types";

export interface BloqAccountsOptions {
  /** Accounts base URL (no trailing slash) */
  accountsUrl: string;
  /** email or user id */
  email: string;
  password: string;
  http: ProviderFetch;
}

export interface BloqAccounts {
  /** `POST /auth` with HTTP Basic → the account access token (12 h). */
  login(): Promise<string>;
  /** `POST /users/me/client-keys` → `{clientId, clientSecret}`: the secret is shown this once. */
  createClientKey(): Promise<ClientKeyCreated>;
  /** `GET /users/me/client-keys` → `[{id, createdAt}]` */
  listClientKeys(): Promise<ClientKeyList>;
  /** `DELETE /users/me/client-keys/{id}`; 404 `bloq_client_key_not_found` for an unknown id. */
  deleteClientKey(id: string): Promise<void>;
}

export function basicAuthorization(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`, "utf8").toString("base64")}`;
}

export function createBloqAccounts(options: BloqAccountsOptions): BloqAccounts {
  const { accountsUrl, http } = options;
  let accountToken: string | undefined;

  async function login(): Promise<string> {
    const response = await http({ method: "POST", url: `${accountsUrl}/auth`, authorization: basicAuthorization(options.email, options.password) });
    if (response.status === 401 || response.status === 403) {
      throw new AppError(BLOQ_ERROR.accountRefused, 502, "Bloq refused the account login (BLOQ_EMAIL / BLOQ_PASSWORD).", { upstreamStatus: response.status });
    }
    if (!isSuccess(response)) throw bloqError(response, "account login");
    accountToken = parseAnswer(AccountTokenSchema, response.body, "account login").accessToken;
    return accountToken;
  }

  async function authorization(): Promise<string> {
    return `Bearer ${accountToken ?? (await login())}`;
  }

  return {
    login,
    async createClientKey() {
      const response = await http({ method: "POST", url: `${accountsUrl}/users/me/client-keys`, authorization: await authorization(), maxRetries: 0 });
      if (!isSuccess(response)) throw bloqError(response, "client key");
      return parseAnswer(ClientKeyCreatedSchema, response.body, "client key");
    },
    async listClientKeys() {
      const response = await http({ method: "GET", url: `${accountsUrl}/users/me/client-keys`, authorization: await authorization() });
      if (!isSuccess(response)) throw bloqError(response, "client keys");
      return parseAnswer(ClientKeyListSchema, response.body, "client keys");
    },
    async deleteClientKey(id) {
      const response = await http({
        method: "DELETE",
        url: `${accountsUrl}/users/me/client-keys/${encodeURIComponent(id)}`,
        authorization: await authorization(),
      });
      if (response.status === 404) throw new AppError(BLOQ_ERROR.clientKeyNotFound, 404, `Bloq has no client key ${id}.`, { upstreamStatus: 404 });
      if (!isSuccess(response)) throw bloqError(response, "client key");
    },
  };
}
