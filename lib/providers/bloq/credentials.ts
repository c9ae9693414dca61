/**
 * The merchant's Bloq client tokens (shared/PROVIDERS.md, Bloq Accounts): the client key (BLOQ_CLIENT_ID /
 * BLOQ_CLIENT_SECRET) → `clientCredentials` grant → access token (1 h) + refresh token (1 year).
 *
 * - The access token is reused until 60 s before it runs out (by our clock: it lasts
 *   BLOQ_LIFETIMES.clientAccessSeconds from when we got it); then, or when Bloq answers 401 `jwt expired`
 *   (its clock ran ahead of ours), the `refreshToken` grant gets a new one.
 * - A refused refresh token (the key was revoked, or the sandbox forgot it) falls back to the client
 *   credentials; when those are refused too the call fails with 502 `bloq_client_refused`.
 * - Both tokens live together in the fleet's token cache (lib/providers/token-cache.ts: sealed in
 *   provider_tokens, provider "bloq", scoped to the client id): every instance and every concurrent caller
 *   share ONE token request per lifetime, and a restart reuses them; tokens of another client id (the key
 *   was changed in the configuration) are ignored.
 */
import type { Logger } from "pino";
import { z } from "zod";
import type { SecretBox } from "../../crypto/secret-box";
import type { Db } from "../../db/client";
import { AppError } from "../../errors";
import { isSuccess, type HttpMethod, type ProviderFetch, type ProviderResponse } from "../../http/provider-fetch";
import { BLOQ_ERROR, BLOQ_PROVIDER, bloqError, isJwtExpired, parseAnswer } from "./errors";
import { ProviderTokenCache, TOKEN_RENEW_MARGIN_SECONDS, type IssuedToken } from "../token-cache";
import { BLOQ_LIFETIMES, ClientTokensSchema, RefreshedTokenSchema } from "./types";

/** A token is renewed this long before it runs out. */
export const BLOQ_TOKEN_REFRESH_MARGIN_SECONDS = TOKEN_RENEW_MARGIN_SECONDS;
const StoredTokensSchema = z.object({ accessToken: z.string().min(1), refreshToken: z.string().min(1) });

export interface ClientCredentials {
  clientId: string;
  clientSecret: string;
}

type Tokens = z.infer<typeof StoredTokensSchema>;

export type TokenGrantKind = "clientCredentials" | "refreshToken";

export interface BloqClientTokensOptions {
  db: Db;
  /** Accounts base URL (no trailing slash) */
  accountsUrl: string;
  credentials: ClientCredentials;
  http: ProviderFetch;
  box: SecretBox;
  logger: Logger;
  /** our clock in ms (tests move it) */
  now?: () => number;
}

export interface BloqAuthorizedRequest {
  method: HttpMethod;
  url: string;
  body?: unknown;
  maxRetries?: number;
}

export class BloqClientTokens {
  readonly #o: BloqClientTokensOptions;
  readonly #now: () => number;
  readonly #cache: ProviderTokenCache;
  /** the cached value (both tokens, JSON) the last access token came from */
  #last: IssuedToken | undefined;

  constructor(options: BloqClientTokensOptions) {
    this.#o = options;
    this.#now = options.now ?? Date.now;
    this.#cache = new ProviderTokenCache({ db: options.db, box: options.box, provider: BLOQ_PROVIDER, logger: options.logger, now: options.now });
  }

  /** A valid access token: the cached one, or one token request shared by every caller of the fleet. */
  async accessToken(): Promise<string> {
    const issued = await this.#cache.get(this.#o.credentials.clientId, (previous) => this.#obtain(previous));
    const tokens = decodeTokens(issued.value);
    if (!tokens) throw new AppError("bloq_token_unreadable", 502, "The stored Bloq client tokens are unreadable");
    this.#last = issued;
    return tokens.accessToken;
  }

  /** Marks `token` as run out (Bloq said `jwt expired`): the next caller refreshes. A newer token is left alone. */
  async expire(token: string): Promise<void> {
    const last = this.#last;
    if (last && decodeTokens(last.value)?.accessToken === token) await this.#cache.invalidate(last.value);
  }

  /** When the access token in use runs out (our clock), if there is one. */
  get accessExpiresAt(): Date | undefined {
    return this.#last?.expiresAt;
  }

  /**
   * A request with `Authorization: Bearer <client access token>`; a 401 (`jwt expired`, or the token was
   * revoked) drops the token, gets a new one (refresh grant, else client credentials) and repeats once.
   */
  async send(request: BloqAuthorizedRequest): Promise<ProviderResponse> {
    for (let attempt = 0; ; attempt++) {
      const token = await this.accessToken();
      const response = await this.#o.http({ ...request, authorization: `Bearer ${token}` });
      if (response.status !== 401 || attempt > 0) return response;
      this.#o.logger.info({ provider: BLOQ_PROVIDER, expired: isJwtExpired(response) }, "bloq refused the client access token; renewing it");
      await this.expire(token);
    }
  }

  /** Runs under the token cache's lock: refresh grant with the stored refresh token, else client credentials. */
  async #obtain(previous: IssuedToken | undefined): Promise<IssuedToken> {
    const refreshToken = previous ? decodeTokens(previous.value)?.refreshToken : undefined;
    if (refreshToken) {
      const refreshed = await this.#grant({ grantType: "refreshToken", refreshToken }, RefreshedTokenSchema);
      if (refreshed) return this.#issued({ accessToken: refreshed.accessToken, refreshToken }, "refreshToken");
      this.#o.logger.warn({ provider: BLOQ_PROVIDER }, "bloq refused our refresh token; using the client credentials");
    }
    const { clientId, clientSecret } = this.#o.credentials;
    const issued = await this.#grant({ grantType: "clientCredentials", clientId, clientSecret }, ClientTokensSchema);
    if (!issued) {
      throw new AppError(
        BLOQ_ERROR.clientRefused,
        502,
        "Bloq refused our client key (BLOQ_CLIENT_ID / BLOQ_CLIENT_SECRET); create one with `npm run cli -- bloq client-keys create` and configure it.",
      );
    }
    return this.#issued(issued, "clientCredentials");
  }

  /** `POST /auth/token`; the parsed answer, or undefined when the grant was refused (4xx). */
  async #grant<T extends z.ZodType>(body: Record<string, string>, schema: T): Promise<z.infer<T> | undefined> {
    const response = await this.#o.http({ method: "POST", url: `${this.#o.accountsUrl}/auth/token`, body });
    if (response.status >= 400 && response.status <= 499) return undefined;
    if (!isSuccess(response)) throw bloqError(response, "token");
    return parseAnswer(schema, response.body, "token");
  }

  #issued(tokens: Tokens, grant: TokenGrantKind): IssuedToken {
    const expiresAt = new Date(this.#now() + BLOQ_LIFETIMES.clientAccessSeconds * 1000);
    this.#o.logger.info({ provider: BLOQ_PROVIDER, grant, expiresAt: expiresAt.toISOString() }, "bloq client token obtained");
    return { value: JSON.stringify({ accessToken: tokens.accessToken, refreshToken: tokens.refreshToken }), expiresAt };
  }
}

function decodeTokens(value: string): Tokens | undefined {
  try {
    const parsed = StoredTokensSchema.safeParse(JSON.parse(value));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
