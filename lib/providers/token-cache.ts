/**
 * A provider access token shared by every instance on the database (OffBlocks' JWT, Bloq's client tokens):
 * one token request per token lifetime, fleet-wide, whatever the concurrency.
 *
 * - In memory first: a fresh token is answered with no I/O; callers of one process that need a new one
 *   share ONE database round trip (single flight per scope).
 * - Then the database: `provider_tokens` holds the token AES-GCM sealed with its expiry. A renewal takes
 *   `pg_advisory_xact_lock` on the provider in a transaction, re-reads the row (a token another instance
 *   stored meanwhile is used as is) and only then calls `issue`. `issue` must not use the database (on
 *   PGlite the transaction holds the only connection); its error aborts the renewal and reaches the caller.
 * - `scope` names the credentials a token belongs to: a stored token of another scope is never answered.
 * - `invalidate(token)` marks only that token for renewal (compare-and-swap on the sealed bytes), so a newer
 *   token another instance stored is not thrown away. Invalidation keeps the value: `issue` receives it as
 *   `previous` (Bloq refreshes with the refresh token kept beside the access token).
 * - `forget(tx, keep)` deletes the stored token inside the caller's transaction (OffBlocks rotation swaps the
 *   credentials and drops the token atomically), except one of scope `keep`.
 */
import { and, eq, ne, sql } from "drizzle-orm";
import type { Logger } from "pino";
import type { SecretBox } from "../crypto/secret-box";
import type { Db } from "../db/client";
import { providerTokens } from "../db/schema";

/** A token is renewed this long before it expires. */
export const TOKEN_RENEW_MARGIN_SECONDS = 60;
/** A token is kept at least this long, even when it expires sooner (no request storm on a short lifetime). */
const MIN_REUSE_MS = 5_000;
const RENEWED = new Date(0);

export interface IssuedToken {
  value: string;
  expiresAt: Date;
}

interface HeldToken extends IssuedToken {
  scope: string;
  renewAtMs: number;
  /** the bytes stored in the row, for compare-and-swap */
  sealed: Buffer;
}

export type TokenIssuer = (previous: IssuedToken | undefined) => Promise<IssuedToken>;

export interface ProviderTokenCacheOptions {
  db: Db;
  box: SecretBox;
  /** the row's key, e.g. "offblocks" */
  provider: string;
  logger: Logger;
  /** our clock in ms */
  now?: () => number;
}

type Executor = Pick<Db, "select" | "insert" | "update" | "delete" | "execute">;

export class ProviderTokenCache {
  readonly #o: ProviderTokenCacheOptions;
  readonly #now: () => number;
  readonly #context: string;
  #held: HeldToken | undefined;
  #inflight = new Map<string, Promise<IssuedToken>>();

  constructor(options: ProviderTokenCacheOptions) {
    this.#o = options;
    this.#now = options.now ?? Date.now;
    this.#context = `provider_tokens:${options.provider}`;
  }

  /** The token of `scope` if this process holds a fresh one (no I/O). */
  peek(scope: string): IssuedToken | undefined {
    const held = this.#held;
    if (!held || held.scope !== scope || this.#now() >= held.renewAtMs) return undefined;
    return { value: held.value, expiresAt: held.expiresAt };
  }

  /** A fresh token of `scope`: held, stored by any instance, or issued once under the database lock. */
  get(scope: string, issue: TokenIssuer): Promise<IssuedToken> {
    const held = this.peek(scope);
    if (held) return Promise.resolve(held);
    let request = this.#inflight.get(scope);
    if (!request) {
      const started = this.#renew(scope, issue);
      request = started;
      this.#inflight.set(scope, started);
      const clear = () => {
        if (this.#inflight.get(scope) === started) this.#inflight.delete(scope);
      };
      started.then(clear, clear);
    }
    return request;
  }

  /** Stores a token obtained outside `get` (e.g. with fallback credentials just adopted). */
  async put(scope: string, token: IssuedToken): Promise<void> {
    this.#held = await this.#write(this.#o.db, scope, token);
  }

  /** The provider refused `token`: it is renewed on next use, unless a newer token replaced it already. */
  async invalidate(token: string): Promise<void> {
    const held = this.#held;
    if (held?.value !== token) return;
    this.#held = undefined;
    await this.#o.db
      .update(providerTokens)
      .set({ renewAt: RENEWED, updatedAt: new Date() })
      .where(and(eq(providerTokens.provider, this.#o.provider), eq(providerTokens.token, held.sealed)));
  }

  /**
   * Deletes the stored token as part of `tx` (credentials replaced); this process forgets it too. A token of
   * `keep` (the scope the new credentials will have) is left alone: an instance may have got it already.
   */
  async forget(tx: Executor, keep?: string): Promise<void> {
    if (this.#held?.scope !== keep) this.#held = undefined;
    const provider = eq(providerTokens.provider, this.#o.provider);
    await tx.delete(providerTokens).where(keep === undefined ? provider : and(provider, ne(providerTokens.scope, keep)));
  }

  async #renew(scope: string, issue: TokenIssuer): Promise<IssuedToken> {
    const { db, provider, logger } = this.#o;
    const held = await db.transaction(async (tx) => {
      await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${this.#context}))`);
      const [row] = await tx.select().from(providerTokens).where(eq(providerTokens.provider, provider)).limit(1);
      const stored = row && row.scope === scope ? this.#open(row) : undefined;
      if (stored && this.#now() < stored.renewAtMs) return stored;
      const issued = await issue(stored ? { value: stored.value, expiresAt: stored.expiresAt } : undefined);
      logger.info({ provider, expiresAt: issued.expiresAt.toISOString() }, "provider token obtained");
      return this.#write(tx, scope, issued);
    });
    this.#held = held;
    return { value: held.value, expiresAt: held.expiresAt };
  }

  async #write(executor: Executor, scope: string, token: IssuedToken): Promise<HeldToken> {
    const sealed = this.#o.box.seal(token.value, this.#context);
    const renewAtMs = Math.max(this.#now() + MIN_REUSE_MS, token.expiresAt.getTime() - TOKEN_RENEW_MARGIN_SECONDS * 1000);
    const set = { scope, token: sealed, expiresAt: token.expiresAt, renewAt: new Date(renewAtMs), updatedAt: new Date() };
    await executor
      .insert(providerTokens)
      .values({ provider: this.#o.provider, ...set })
      .onConflictDoUpdate({ target: providerTokens.provider, set });
    return { ...token, scope, renewAtMs, sealed };
  }

  #open(row: typeof providerTokens.$inferSelect): HeldToken | undefined {
    try {
      const value = this.#o.box.openText(row.token, this.#context);
      return { value, expiresAt: row.expiresAt, scope: row.scope, renewAtMs: row.renewAt.getTime(), sealed: row.token };
    } catch {
      this.#o.logger.warn({ provider: this.#o.provider }, "the stored provider token cannot be opened (another data key?); getting a new one");
      return undefined;
    }
  }
}
