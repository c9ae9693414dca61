/**
 * OffBlocks authentication life cycle: API credentials → Bearer token (cached), the request-signing key
 * registration, rotation and revocation. `send()` is the authenticated, signed transport the client uses.
 *
 * - One *generation* holds one set of credentials together with the token obtained with them. Replacing
 *   the credentials installs a new generation in one assignment, so no caller ever pairs old credentials
 *   with a new token cache or the reverse.
 * - The token lives in the fleet's token cache (lib/providers/token-cache.ts: sealed in provider_tokens,
 *   renewed under a database lock, scoped to the credentials and their version), reused until 60 s before
 *   its `expiresAt`; concurrent callers share one in-flight token request. A call answered 401 (token
 *   expired or invalidated) drops that token (only it), gets a new one and is repeated once; a 401 about the signing key (`signing_key_unknown`, e.g. the sandbox restarted)
 *   registers the key again and repeats the call once.
 * - Credentials live in provider_credentials (secret sealed with AES-GCM) once a rotation happened and
 *   then win over the configured ones. A rotation records the new credentials as *pending* before asking
 *   OffBlocks to switch, so a crash between OffBlocks' answer and our commit cannot lose them: when the
 *   current credentials are refused, the pending ones are tried and, if accepted, adopted. Other instances
 *   on the same database pick a rotation up the same way (refused → re-read the row). Swapping the
 *   credentials deletes the stored token in the same transaction.
 * - In sandbox mode, stored credentials the emulator no longer knows (it was reset) fall back to the
 *   configured sandbox defaults.
 */
import { randomUUID } from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import type { Logger } from "pino";
import type { SecretBox } from "../../crypto/secret-box";
import type { Db } from "../../db/client";
import { providerCredentials } from "../../db/schema";
import { AppError } from "../../errors";
import { withOperationKey } from "../../http/idempotency";
import { isSuccess, type HttpMethod, type ProviderFetch, type ProviderResponse } from "../../http/provider-fetch";
import { signRequest } from "../../http/request-signature";
import { ProviderTokenCache, TOKEN_RENEW_MARGIN_SECONDS, type IssuedToken } from "../token-cache";
import { offblocksError, parseAnswer, upstreamCode } from "./errors";
import type { OffblocksSigningKey } from "./signing-key";
import { CredentialsPutSchema, OFFBLOCKS_ERROR, SigningKeyResponseSchema, TokenResponseSchema, type TokenResponse } from "./types";

export const OFFBLOCKS_PROVIDER = "offblocks";
/** A token is renewed this long before OffBlocks says it expires. */
export const TOKEN_REFRESH_MARGIN_SECONDS = TOKEN_RENEW_MARGIN_SECONDS;
/** AES-GCM associated data of the sealed secrets (current and pending share it: promotion copies bytes). */
const SEAL_CONTEXT = "provider_credentials:offblocks";
/** 401 codes that mean "the signing key", not "the token". */
const SIGNING_KEY_CODES: ReadonlySet<string | undefined> = new Set([OFFBLOCKS_ERROR.signingKeyUnknown, OFFBLOCKS_ERROR.signatureInvalid]);
/** 401 codes that no new token or key can fix (our request is malformed). */
const REQUEST_FAULT_CODES: ReadonlySet<string | undefined> = new Set([OFFBLOCKS_ERROR.signatureMissing, OFFBLOCKS_ERROR.digestMismatch]);

export interface ApiCredentials {
  apiKey: string;
  apiSecret: string;
}

interface Candidate {
  credentials: ApiCredentials;
  reason: "pending" | "sandbox-defaults";
}

/** One set of credentials and the token obtained with them. */
interface Generation {
  /** null once revoked */
  readonly credentials: ApiCredentials | null;
  readonly version: number;
  readonly source: "config" | "stored";
  /** tried, in order, when OffBlocks refuses `credentials` */
  readonly fallbacks: readonly Candidate[];
  /** the request that is getting this generation's token, shared by concurrent callers */
  tokenRequest?: Promise<string>;
}

export interface OffblocksRequest {
  method: HttpMethod;
  /** path below the base URL, e.g. `/customers` */
  path: string;
  query?: Record<string, string | undefined>;
  body?: unknown;
  idempotencyKey?: string;
  /** RFC 9421-sign the request (default); only `PUT /auth/signing` goes unsigned */
  signed?: boolean;
  maxRetries?: number;
}

export interface CredentialStatus {
  source: "config" | "stored";
  version: number;
  apiKey: string | null;
  revoked: boolean;
  /** expiry of the token in use, if any */
  tokenExpiresAt: Date | null;
  signingKeyId: string | null;
  signingKeyFingerprint: string;
  /** a rotation whose outcome is not recorded yet */
  rotationPending: boolean;
}

export interface OffblocksCredentialsOptions {
  db: Db;
  /** e.g. https://api.sandbox.offblocks.xyz/v1 (no trailing slash) */
  baseUrl: string;
  /** the configured credentials (env or sandbox defaults) */
  defaults: ApiCredentials;
  sandbox: boolean;
  signingKey: OffblocksSigningKey;
  http: ProviderFetch;
  box: SecretBox;
  logger: Logger;
  /** our clock in ms, for the token cache */
  now?: () => number;
}

/** Thrown inside when the generation a token request belonged to was replaced meanwhile. */
class StaleGeneration extends Error {}
/** Thrown inside when OffBlocks refused the credentials of a token request (401). */
class CredentialsRefused extends Error {}

/** The token cache's scope of a generation: a token is only ever used with the credentials that got it. */
const scopeOf = (generation: { version: number; credentials: Pick<ApiCredentials, "apiKey"> | null }) =>
  `v${generation.version}:${generation.credentials?.apiKey ?? "revoked"}`;

type CredentialRow = typeof providerCredentials.$inferSelect;

export class OffblocksCredentials {
  readonly #o: OffblocksCredentialsOptions;
  readonly #tokens: ProviderTokenCache;
  #generation: Generation | undefined;
  #loading: Promise<Generation> | undefined;
  #keyId: string | undefined;
  #recordedExpiry: number | undefined;
  #registering: Promise<string> | undefined;
  #rotations: Promise<unknown> = Promise.resolve();

  constructor(options: OffblocksCredentialsOptions) {
    this.#o = options;
    this.#tokens = new ProviderTokenCache({ db: options.db, box: options.box, provider: OFFBLOCKS_PROVIDER, logger: options.logger, now: options.now });
  }

  /** A valid Bearer token: the cached one, or one fresh request shared by every concurrent caller. */
  async token(): Promise<string> {
    for (let round = 0; round < 4; round++) {
      const generation = await this.#current();
      const cached = this.#tokens.peek(scopeOf(generation));
      if (cached) return cached.value;
      if (!generation.tokenRequest) {
        const request = this.#requestToken(generation);
        generation.tokenRequest = request;
        const clear = () => {
          if (generation.tokenRequest === request) generation.tokenRequest = undefined;
        };
        request.then(clear, clear);
      }
      try {
        return await generation.tokenRequest;
      } catch (error) {
        if (error instanceof StaleGeneration) continue;
        throw error;
      }
    }
    throw new AppError("offblocks_unauthorized", 502, "OffBlocks credentials kept changing while a token was requested");
  }

  /** Drops `token` from the cache, here and in the database, if it is still the cached one (a newer token is left alone). */
  invalidate(token: string): Promise<void> {
    return this.#tokens.invalidate(token);
  }

  /**
   * An authenticated request: Bearer token, RFC 9421 signature (unless `signed: false`), with one token
   * refresh and one signing-key re-registration on the matching 401s. Other answers are returned as is.
   */
  async send(request: OffblocksRequest): Promise<ProviderResponse> {
    const signed = request.signed ?? true;
    let refreshedToken = false;
    let reregistered = false;
    for (;;) {
      const token = await this.token();
      const keyId = signed ? await this.ensureSigningKey() : undefined;
      const privateKey = this.#o.signingKey.privateKey;
      const response = await this.#o.http({
        method: request.method,
        url: `${this.#o.baseUrl}${request.path}`,
        query: request.query,
        body: request.body,
        idempotencyKey: request.idempotencyKey,
        maxRetries: request.maxRetries,
        authorization: `Bearer ${token}`,
        sign: keyId ? (signable) => signRequest(signable, { privateKey, keyId }) : undefined,
      });
      if (response.status !== 401) return response;
      const code = upstreamCode(response.body);
      if (REQUEST_FAULT_CODES.has(code)) return response;
      if (SIGNING_KEY_CODES.has(code)) {
        if (!keyId || reregistered) return response;
        reregistered = true;
        this.#o.logger.warn({ provider: OFFBLOCKS_PROVIDER, keyId, upstreamCode: code }, "offblocks refused our signing key; registering it again");
        await this.#registerShared(keyId);
        continue;
      }
      if (refreshedToken) return response;
      refreshedToken = true;
      await this.invalidate(token);
    }
  }

  /** The keyId of our registered signing key, registering it (`PUT /auth/signing`) when none is stored. */
  async ensureSigningKey(): Promise<string> {
    if (this.#keyId) return this.#keyId;
    return this.#registerShared(undefined);
  }

  /**
   * Replaces the API credentials: `PUT /auth/credentials` (which invalidates every token OffBlocks issued),
   * then the sealed credentials (version + 1) and the token cache are swapped together.
   */
  async rotate(apiKey: string, apiSecret: string): Promise<{ version: number }> {
    const parsed = CredentialsPutSchema.safeParse({ apiKey, apiSecret });
    if (!parsed.success) throw new AppError("invalid_credentials", 400, "The new API key must be a UUID and the secret non-empty");
    const run = this.#rotations.then(() => this.#rotate(parsed.data));
    this.#rotations = run.catch(() => undefined);
    return run;
  }

  /** Revokes API access for good (`DELETE /auth/credentials`); later calls fail with `offblocks_revoked`. */
  async revoke(): Promise<void> {
    const generation = await this.#current();
    const credentials = generation.credentials;
    if (!credentials) return;
    const body = { apiKey: credentials.apiKey };
    const response = await withOperationKey(
      this.#o.db,
      { operation: `offblocks:revoke-credentials:${credentials.apiKey}`, provider: OFFBLOCKS_PROVIDER, requestBody: body },
      (idempotencyKey) => this.send({ method: "DELETE", path: "/auth/credentials", body, idempotencyKey }),
    );
    if (!isSuccess(response)) throw offblocksError(response, "credentials");
    const [row] = await this.#o.db.transaction(async (tx) => {
      await this.#tokens.forget(tx);
      return this.#upsertRow(
        { apiKey: credentials.apiKey, secret: null, pendingApiKey: null, pendingSecret: null, revokedAt: new Date(), tokenExpiresAt: null },
        tx,
      );
    });
    this.#generation = { credentials: null, version: row?.version ?? generation.version, source: generation.source, fallbacks: [] };
    this.#o.logger.warn({ provider: OFFBLOCKS_PROVIDER }, "offblocks API credentials revoked");
  }

  async status(): Promise<CredentialStatus> {
    const generation = await this.#current();
    const row = await this.#row();
    return {
      source: generation.source,
      version: generation.version,
      apiKey: generation.credentials?.apiKey ?? null,
      revoked: generation.credentials === null,
      tokenExpiresAt: this.#tokens.peek(scopeOf(generation))?.expiresAt ?? null,
      signingKeyId: this.#keyId ?? row?.signingKeyId ?? null,
      signingKeyFingerprint: this.#o.signingKey.fingerprint,
      rotationPending: Boolean(row?.pendingApiKey),
    };
  }

  // ── generations ──────────────────────────────────────────────────────────────────────────────

  async #current(): Promise<Generation> {
    if (this.#generation) return this.#generation;
    if (!this.#loading) {
      const loading = this.#row().then((row) => {
        this.#generation ??= this.#fromRow(row);
        return this.#generation;
      });
      this.#loading = loading;
      const clear = () => {
        if (this.#loading === loading) this.#loading = undefined;
      };
      loading.then(clear, clear);
    }
    return this.#loading;
  }

  #fromRow(row: CredentialRow | undefined): Generation {
    const { defaults, box } = this.#o;
    const pending: Candidate[] =
      row?.pendingApiKey && row.pendingSecret
        ? [{ credentials: { apiKey: row.pendingApiKey, apiSecret: box.openText(row.pendingSecret, SEAL_CONTEXT) }, reason: "pending" }]
        : [];
    const sandboxDefaults: Candidate[] = this.#o.sandbox ? [{ credentials: defaults, reason: "sandbox-defaults" }] : [];
    if (row?.apiKey && row.secret && !row.revokedAt) {
      const stored = { apiKey: row.apiKey, apiSecret: box.openText(row.secret, SEAL_CONTEXT) };
      const fallbacks = [...pending, ...sandboxDefaults.filter((c) => !sameCredentials(c.credentials, stored))];
      return { credentials: stored, version: row.version, source: "stored", fallbacks };
    }
    const version = row?.version ?? 1;
    if (row?.revokedAt && (row.apiKey ?? defaults.apiKey) === defaults.apiKey) {
      return { credentials: null, version, source: row.apiKey ? "stored" : "config", fallbacks: [] };
    }
    return { credentials: defaults, version, source: "config", fallbacks: pending };
  }

  /** Installs `next` unless the generation changed since `expected` was read. */
  #install(next: Generation, expected: Generation): boolean {
    if (this.#generation !== expected) return false;
    this.#generation = next;
    return true;
  }

  async #requestToken(generation: Generation): Promise<string> {
    if (!generation.credentials) {
      throw new AppError("offblocks_revoked", 503, "OffBlocks API access was revoked; configure new OffBlocks credentials");
    }
    const credentials = generation.credentials;
    try {
      const issued = await this.#tokens.get(scopeOf(generation), () => this.#issue(credentials));
      await this.#recordExpiry(generation, issued);
      return issued.value;
    } catch (error) {
      if (!(error instanceof CredentialsRefused)) throw error;
    }

    // Refused. Another instance may have rotated (re-read the row), or a rotation of ours may have gone
    // through without being recorded (pending), or the sandbox was reset (its defaults).
    const fresh = this.#fromRow(await this.#row());
    if (this.#generation !== generation) throw new StaleGeneration();
    if (fresh.credentials && !sameCredentials(fresh.credentials, generation.credentials)) {
      this.#install(fresh, generation);
      throw new StaleGeneration();
    }
    const tried = [generation.credentials];
    for (const candidate of [...fresh.fallbacks, ...generation.fallbacks]) {
      if (tried.some((c) => sameCredentials(c, candidate.credentials))) continue;
      tried.push(candidate.credentials);
      // Under the token lock and the scope the candidate gets once adopted (version + 1), so instances refused
      // at once (a rotation OffBlocks took, not yet recorded) share one token request instead of one each.
      const scope = scopeOf({ credentials: candidate.credentials, version: fresh.version + 1 });
      let issued: IssuedToken;
      try {
        issued = await this.#tokens.get(scope, () => this.#issue(candidate.credentials));
      } catch (error) {
        if (error instanceof CredentialsRefused) continue;
        throw error;
      }
      const adopted = await this.#adopt(candidate);
      if (this.#generation !== generation) throw new StaleGeneration();
      this.#install(adopted, generation);
      if (scopeOf(adopted) !== scope) await this.#tokens.put(scopeOf(adopted), issued);
      await this.#recordExpiry(adopted, issued);
      return issued.value;
    }
    throw new AppError("offblocks_unauthorized", 502, "OffBlocks refused our API credentials");
  }

  /** A token for `credentials` (`CredentialsRefused` on a 401): the token cache's issuer. */
  async #issue(credentials: ApiCredentials): Promise<IssuedToken> {
    const answer = await this.#postToken(credentials);
    if (!answer) throw new CredentialsRefused();
    return issuedToken(answer);
  }

  /** `POST /auth/token`; the answer, or undefined when the credentials were refused (401). */
  async #postToken(credentials: ApiCredentials): Promise<TokenResponse | undefined> {
    const response = await this.#o.http({
      method: "POST",
      url: `${this.#o.baseUrl}/auth/token`,
      body: { apiKey: credentials.apiKey, apiSecret: credentials.apiSecret },
      // a token request changes nothing worth deduplicating across restarts: one key per request
      idempotencyKey: randomUUID(),
    });
    if (response.status === 401) return undefined;
    if (response.status !== 200 && response.status !== 201) throw offblocksError(response, "token");
    return parseAnswer(TokenResponseSchema, response.body, "token");
  }

  /** provider_credentials.token_expires_at (shown to staff) follows the token in use. */
  async #recordExpiry(generation: Generation, token: IssuedToken): Promise<void> {
    if (this.#recordedExpiry === token.expiresAt.getTime()) return;
    this.#recordedExpiry = token.expiresAt.getTime();
    this.#o.logger.debug({ provider: OFFBLOCKS_PROVIDER, version: generation.version, expiresAt: token.expiresAt.toISOString() }, "offblocks token in use");
    await this.#upsertRow({ tokenExpiresAt: token.expiresAt }).catch((error: unknown) =>
      this.#o.logger.warn({ provider: OFFBLOCKS_PROVIDER, error: String(error) }, "could not record the token expiry"),
    );
  }

  /** Records credentials OffBlocks accepted in place of the current ones; the new generation. */
  async #adopt(candidate: Candidate): Promise<Generation> {
    const { db } = this.#o;
    if (candidate.reason === "pending") {
      await this.#promotePending(candidate.credentials.apiKey);
      this.#o.logger.warn({ provider: OFFBLOCKS_PROVIDER }, "offblocks accepted the pending rotated credentials; adopted them");
    } else {
      // The sandbox forgot our rotation: back to the configured defaults.
      await db.transaction(async (tx) => {
        const [row] = await tx
          .update(providerCredentials)
          .set({
            apiKey: null,
            secret: null,
            pendingApiKey: null,
            pendingSecret: null,
            version: sql`${providerCredentials.version} + 1`,
            updatedAt: new Date(),
          })
          .where(eq(providerCredentials.provider, OFFBLOCKS_PROVIDER))
          .returning({ version: providerCredentials.version });
        await this.#tokens.forget(tx, row ? scopeOf({ version: row.version, credentials: candidate.credentials }) : undefined);
      });
      this.#o.logger.warn({ provider: OFFBLOCKS_PROVIDER }, "the sandbox refused the stored credentials; back to the sandbox defaults");
    }
    return this.#fromRow(await this.#row());
  }

  /**
   * pending → current, version + 1, and the stored token (of the old credentials) deleted in the same
   * transaction; a no-op when someone promoted (or replaced) them already.
   */
  async #promotePending(apiKey: string): Promise<void> {
    await this.#o.db.transaction(async (tx) => {
      const promoted = await tx
        .update(providerCredentials)
        .set({
          apiKey: sql`${providerCredentials.pendingApiKey}`,
          secret: sql`${providerCredentials.pendingSecret}`,
          pendingApiKey: null,
          pendingSecret: null,
          revokedAt: null,
          tokenExpiresAt: null,
          version: sql`${providerCredentials.version} + 1`,
          updatedAt: new Date(),
        })
        .where(and(eq(providerCredentials.provider, OFFBLOCKS_PROVIDER), eq(providerCredentials.pendingApiKey, apiKey)))
        .returning({ version: providerCredentials.version });
      // a token of the promoted credentials (an instance refused meanwhile got one under the token lock) is kept
      if (promoted[0]) await this.#tokens.forget(tx, scopeOf({ version: promoted[0].version, credentials: { apiKey } }));
    });
  }

  async #rotate(next: ApiCredentials): Promise<{ version: number }> {
    const { db, box, logger } = this.#o;
    const generation = await this.#current();
    if (!generation.credentials) throw new AppError("offblocks_revoked", 503, "OffBlocks API access was revoked; it cannot be rotated");
    await this.#upsertRow({ pendingApiKey: next.apiKey, pendingSecret: box.seal(next.apiSecret, SEAL_CONTEXT) });
    let response: ProviderResponse;
    try {
      response = await withOperationKey(
        db,
        {
          operation: `offblocks:rotate-credentials:${next.apiKey}`,
          provider: OFFBLOCKS_PROVIDER,
          // the stored request hash must not be a plain hash of the new secret: a keyed digest stands in for it
          requestBody: { apiKey: next.apiKey, apiSecret: box.fingerprint(next.apiSecret, SEAL_CONTEXT) },
        },
        (idempotencyKey) => this.send({ method: "PUT", path: "/auth/credentials", body: next, idempotencyKey }),
      );
    } catch (error) {
      // Outcome unknown (no answer): the pending credentials stay, to be adopted if OffBlocks took them.
      logger.warn({ provider: OFFBLOCKS_PROVIDER }, "offblocks credential rotation has an unknown outcome; kept as pending");
      throw error;
    }
    if (!isSuccess(response)) {
      await db
        .update(providerCredentials)
        .set({ pendingApiKey: null, pendingSecret: null, updatedAt: new Date() })
        .where(and(eq(providerCredentials.provider, OFFBLOCKS_PROVIDER), eq(providerCredentials.pendingApiKey, next.apiKey)));
      throw offblocksError(response, "credentials");
    }
    await this.#promotePending(next.apiKey);
    const row = await this.#row();
    const current = this.#generation;
    // A caller refused in between may already have adopted them (same version): keep its fresh token then.
    if (!current || current.version !== row?.version || !sameCredentials(current.credentials, next)) {
      this.#generation = this.#fromRow(row);
    }
    const version = this.#generation?.version ?? row?.version ?? generation.version + 1;
    logger.info({ provider: OFFBLOCKS_PROVIDER, version }, "offblocks API credentials rotated");
    return { version };
  }

  // ── signing key ──────────────────────────────────────────────────────────────────────────────

  /** One registration at a time, shared; `stale` = the keyId OffBlocks refused (undefined: first use). */
  #registerShared(stale: string | undefined): Promise<string> {
    if (this.#keyId && this.#keyId !== stale) return Promise.resolve(this.#keyId);
    if (!this.#registering) {
      const registering = (async () => {
        // The keyId another instance registered (OffBlocks keeps one key per merchant: each registration
        // replaces the one before): when instances start at once, the refused one adopts the newer keyId
        // instead of registering again and refusing the others' in turn.
        const stored = (await this.#row())?.signingKeyId;
        if (stored && stored !== stale) return stored;
        return this.#register();
      })().then((keyId) => {
        this.#keyId = keyId;
        return keyId;
      });
      this.#registering = registering;
      const clear = () => {
        if (this.#registering === registering) this.#registering = undefined;
      };
      registering.then(clear, clear);
    }
    return this.#registering;
  }

  async #register(): Promise<string> {
    const { signingKey, logger } = this.#o;
    this.#keyId = undefined;
    const response = await this.send({
      method: "PUT",
      path: "/auth/signing",
      body: { publicKey: signingKey.publicKeyBase64 },
      idempotencyKey: randomUUID(),
      signed: false,
    });
    if (response.status !== 200 && response.status !== 201) throw offblocksError(response, "signing key");
    const { keyId } = parseAnswer(SigningKeyResponseSchema, response.body, "signing key");
    await this.#upsertRow({ signingKeyId: keyId });
    logger.info({ provider: OFFBLOCKS_PROVIDER, keyId, fingerprint: signingKey.fingerprint }, "offblocks signing key registered");
    return keyId;
  }

  // ── storage ──────────────────────────────────────────────────────────────────────────────────

  async #row(): Promise<CredentialRow | undefined> {
    const [row] = await this.#o.db.select().from(providerCredentials).where(eq(providerCredentials.provider, OFFBLOCKS_PROVIDER)).limit(1);
    return row;
  }

  #upsertRow(values: Partial<Omit<CredentialRow, "provider" | "version" | "updatedAt">>, executor: Pick<Db, "insert"> = this.#o.db) {
    const set = { ...values, updatedAt: new Date() };
    return executor
      .insert(providerCredentials)
      .values({ provider: OFFBLOCKS_PROVIDER, ...set })
      .onConflictDoUpdate({ target: providerCredentials.provider, set })
      .returning();
  }
}

function issuedToken(answer: TokenResponse): IssuedToken {
  return { value: answer.token, expiresAt: new Date(answer.expiresAt * 1000) };
}

function sameCredentials(a: ApiCredentials | null, b: ApiCredentials | null): boolean {
  return a !== null && b !== null && a.apiKey === b.apiKey && a.apiSecret === b.apiSecret;
}
