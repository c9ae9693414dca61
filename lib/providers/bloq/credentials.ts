/**
 * The merchant's Bloq client tokens (shared/PROVIDERS.md, Bloq Accounts): the client key (BLOQ_CLIENT_ID /
 * BLOQ_CLIENT_SECRET) → `clientCredentials` grant → access token (1 h) + refresh token (1 year).
 *
 * - The access token is reused until 60 s before it runs out (by our clock: it lasts
 *   BLOQ_LIFETIMES.clientAccessSeconds from when we got it); then, or when Bloq answers 401 `jwt expired`
 *   (its clock ran ahead of ours), the `refreshToken` grant gets a new one.
 * - A refused refresh token (the key was revoked, or the sandbox forgot it) falls back to the client
 *   credentials; when those are refused too the call fails with 502 `bloq_client_refused`.
 * - Concurrent callers share ONE token request (single flight), whatever the number of callers.
 * - Both tokens are kept AES-GCM sealed in `provider_credentials` (provider "bloq", api_key = the client
 *   id, token_expires_at = the access token's expiry), so a restart reuses them; a stored row of another
 *   client id (the key was changed in the configuration) is ignored.
 */
import { eq } from "drizzle-orm";
import type { Logger } from "pino";
import { z } from "zod";
import type { SecretBox } from "../../crypto/secret-box";
import type { Db } from "../../db/client";
import { providerCredentials } from "../../db/schema";
import { AppError } from "../../errors";
import type { HttpMethod, ProviderFetch, ProviderResponse } from "../../http/provider-fetch";
import { BLOQ_ERROR, BLOQ_PROVIDER, bloqError, isJwtExpired, parseAnswer } from "./errors";
import { BLOQ_LIFETIMES, ClientTokensSchema, RefreshedTokenSchema } from "./types";

/** A token is renewed this long before it runs out. */
export const BLOQ_TOKEN_REFRESH_MARGIN_SECONDS = 60;
const SEAL_CONTEXT = "provider_credentials:bloq";
const StoredTokensSchema = z.object({ accessToken: z.string().min(1), refreshToken: z.string().min(1) });

export interface ClientCredentials {
  clientId: string;
  clientSecret: string;
}

interface Tokens {
  accessToken: string;
  refreshToken: string;
  /** our clock, ms */
  accessExpiresAtMs: number;
}

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

type CredentialRow = typeof providerCredentials.$inferSelect;

export class BloqClientTokens {
  readonly #o: BloqClientTokensOptions;
  readonly #now: () => number;
  #tokens: Tokens | undefined;
  #loaded = false;
  #inflight: Promise<string> | undefined;

  constructor(options: BloqClientTokensOptions) {
    this.#o = options;
    this.#now = options.now ?? Date.now;
  }

  /** A valid access token: the cached one, or one token request shared by every concurrent caller. */
  async accessToken(): Promise<string> {
    const cached = this.#fresh();
    if (cached) return cached;
    if (!this.#inflight) {
      const request = this.#obtain();
      this.#inflight = request;
      const clear = () => {
        if (this.#inflight === request) this.#inflight = undefined;
      };
      request.then(clear, clear);
    }
    return this.#inflight;
  }

  /** Marks `token` as run out (Bloq said `jwt expired`): the next caller refreshes. A newer token is left alone. */
  expire(token: string): void {
    if (this.#tokens?.accessToken === token) this.#tokens = { ...this.#tokens, accessExpiresAtMs: 0 };
  }

  /** When the access token in use runs out (our clock), if there is one. */
  get accessExpiresAt(): Date | undefined {
    return this.#tokens ? new Date(this.#tokens.accessExpiresAtMs) : undefined;
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
      this.expire(token);
    }
  }

  #fresh(): string | undefined {
    const tokens = this.#tokens;
    if (!tokens) return undefined;
    return this.#now() < tokens.accessExpiresAtMs - BLOQ_TOKEN_REFRESH_MARGIN_SECONDS * 1000 ? tokens.accessToken : undefined;
  }

  async #obtain(): Promise<string> {
    if (!this.#loaded) {
      this.#tokens = await this.#load();
      this.#loaded = true;
      const stored = this.#fresh();
      if (stored) return stored;
    }
    const refreshToken = this.#tokens?.refreshToken;
    if (refreshToken) {
      const refreshed = await this.#grant({ grantType: "refreshToken", refreshToken }, RefreshedTokenSchema);
      if (refreshed) return this.#keep({ accessToken: refreshed.accessToken, refreshToken }, "refreshToken");
      this.#o.logger.warn({ provider: BLOQ_PROVIDER }, "bloq refused our refresh token; using the client credentials");
    }
    const { clientId, clientSecret } = this.#o.credentials;
    const issued = await this.#grant({ grantType: "clientCredentials", clientId, clientSecret }, ClientTokensSchema);
    if (!issued) {
      this.#tokens = undefined;
      throw new AppError(
        BLOQ_ERROR.clientRefused,
        502,
        "Bloq refused our client key (BLOQ_CLIENT_ID / BLOQ_CLIENT_SECRET); create one with `npm run cli -- bloq client-keys create` and configure it.",
      );
    }
    return this.#keep(issued, "clientCredentials");
  }

  /** `POST /auth/token`; the parsed answer, or undefined when the grant was refused (4xx). */
  async #grant<T extends z.ZodType>(body: Record<string, string>, schema: T): Promise<z.infer<T> | undefined> {
    const response = await this.#o.http({ method: "POST", url: `${this.#o.accountsUrl}/auth/token`, body });
    if (response.status >= 400 && response.status <= 499) return undefined;
    if (response.status < 200 || response.status > 299) throw bloqError(response, "token");
    return parseAnswer(schema, response.body, "token");
  }

  async #keep(tokens: { accessToken: string; refreshToken: string }, grant: TokenGrantKind): Promise<string> {
    const accessExpiresAtMs = this.#now() + BLOQ_LIFETIMES.clientAccessSeconds * 1000;
    this.#tokens = { ...tokens, accessExpiresAtMs };
    this.#o.logger.info({ provider: BLOQ_PROVIDER, grant, expiresAt: new Date(accessExpiresAtMs).toISOString() }, "bloq client token obtained");
    await this.#store(this.#tokens).catch((error: unknown) =>
      this.#o.logger.warn({ provider: BLOQ_PROVIDER, error: String(error) }, "could not store the bloq client tokens"),
    );
    return tokens.accessToken;
  }

  async #load(): Promise<Tokens | undefined> {
    const [row]: CredentialRow[] = await this.#o.db
      .select()
      .from(providerCredentials)
      .where(eq(providerCredentials.provider, BLOQ_PROVIDER))
      .limit(1);
    if (!row?.secret || row.apiKey !== this.#o.credentials.clientId || row.revokedAt) return undefined;
    try {
      const parsed = StoredTokensSchema.safeParse(JSON.parse(this.#o.box.openText(row.secret, SEAL_CONTEXT)));
      if (!parsed.success) return undefined;
      return { ...parsed.data, accessExpiresAtMs: row.tokenExpiresAt?.getTime() ?? 0 };
    } catch {
      this.#o.logger.warn({ provider: BLOQ_PROVIDER }, "the stored bloq client tokens cannot be opened (another data key?); getting new ones");
      return undefined;
    }
  }

  async #store(tokens: Tokens): Promise<void> {
    const sealed = this.#o.box.seal(JSON.stringify({ accessToken: tokens.accessToken, refreshToken: tokens.refreshToken }), SEAL_CONTEXT);
    const set = { apiKey: this.#o.credentials.clientId, secret: sealed, tokenExpiresAt: new Date(tokens.accessExpiresAtMs), updatedAt: new Date() };
    await this.#o.db
      .insert(providerCredentials)
      .values({ provider: BLOQ_PROVIDER, ...set })
      .onConflictDoUpdate({ target: providerCredentials.provider, set });
  }
}
