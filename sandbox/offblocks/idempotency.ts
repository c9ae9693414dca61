/**
 * Idempotency-Key handling as OffBlocks documents it: the key (a UUID) is remembered for 1 hour (sandbox
 * clock) per merchant; the same key with the same payload (method, path and query, body) answers the stored
 * response again; with a different payload 422 `idempotency_key_reused`; while the first request is still
 * being processed 409 `idempotency_request_in_flight`. Answers of 5xx are not remembered. Memory is bounded:
 * expired keys are swept as new ones arrive, and past IDEMPOTENCY_CAPACITY keys the oldest is forgotten.
 */
import { createHash } from "node:crypto";
import type { MiddlewareHandler } from "hono";
import { OFFBLOCKS_ERROR, OFFBLOCKS_LIFETIMES } from "@/lib/providers/offblocks/types";
import type { SandboxClock } from "../controls/clock";
import type { SandboxEnv } from "../http/env";
import { SandboxHttpError } from "../http/errors";
import { requestTarget } from "../http/raw-body";
import { invalidRequest } from "./errors";

interface StoredResponse {
  status: number;
  body: string;
  contentType: string | null;
}

interface IdempotencyRecord {
  fingerprint: string;
  expiresAt: number;
  /** undefined while the first request is in flight */
  response: StoredResponse | undefined;
}

export const IDEMPOTENCY_HEADER = "idempotency-key";
/** Set on an answer served from idempotency memory. */
export const IDEMPOTENT_REPLAY_HEADER = "idempotent-replayed";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const WRITE_METHODS = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/** The most keys remembered at once (a soak sends far fewer per hour). */
export const IDEMPOTENCY_CAPACITY = 20_000;

export class IdempotencyStore {
  #records = new Map<string, IdempotencyRecord>();

  get(id: string, now: number): IdempotencyRecord | undefined {
    const record = this.#records.get(id);
    if (record && record.expiresAt <= now) {
      this.#records.delete(id);
      return undefined;
    }
    return record;
  }

  begin(id: string, fingerprint: string, expiresAt: number, now: number): void {
    if (this.#records.size >= IDEMPOTENCY_CAPACITY) {
      for (const [key, record] of this.#records) if (record.expiresAt <= now) this.#records.delete(key);
      // Map order is insertion order: the first key is the oldest
      const oldest = this.#records.keys().next();
      if (this.#records.size >= IDEMPOTENCY_CAPACITY && !oldest.done) this.#records.delete(oldest.value);
    }
    this.#records.set(id, { fingerprint, expiresAt, response: undefined });
  }

  complete(id: string, response: StoredResponse): void {
    const record = this.#records.get(id);
    if (record) record.response = response;
  }

  abandon(id: string): void {
    this.#records.delete(id);
  }
}

function replay(stored: StoredResponse): Response {
  const headers: Record<string, string> = { [IDEMPOTENT_REPLAY_HEADER]: "true" };
  if (stored.contentType) headers["content-type"] = stored.contentType;
  return new Response(stored.body === "" ? null : stored.body, { status: stored.status, headers });
}

/**
 * `required`: the header must be present on POST/PUT/PATCH/DELETE (400 `idempotency_key_missing`);
 * `optional`: honoured when present. GET and other reads ignore it.
 */
export function idempotency(getStore: () => IdempotencyStore, clock: SandboxClock, mode: "required" | "optional"): MiddlewareHandler<SandboxEnv> {
  return async (c, next) => {
    if (!WRITE_METHODS.has(c.req.method)) return next();
    const key = c.req.header(IDEMPOTENCY_HEADER);
    if (key === undefined || key.trim() === "") {
      if (mode === "optional") return next();
      throw new SandboxHttpError(400, OFFBLOCKS_ERROR.idempotencyKeyMissing, "An Idempotency-Key header (UUID) is required");
    }
    if (!UUID.test(key.trim())) throw invalidRequest("Idempotency-Key must be a UUID");
    const store = getStore();
    const id = `${c.get("merchantId") ?? "-"} ${key.trim().toLowerCase()}`;
    const { path, query } = requestTarget(c);
    const fingerprint = createHash("sha256").update(`${c.req.method}\n${path}?${query}\n`).update(c.get("rawBody")).digest("hex");
    const now = clock.now();
    const existing = store.get(id, now);
    if (existing) {
      if (existing.fingerprint !== fingerprint) {
        throw new SandboxHttpError(422, OFFBLOCKS_ERROR.idempotencyKeyReused, "This Idempotency-Key was already used with a different request");
      }
      if (!existing.response) {
        throw new SandboxHttpError(409, OFFBLOCKS_ERROR.idempotencyInFlight, "A request with this Idempotency-Key is still being processed");
      }
      return replay(existing.response);
    }
    store.begin(id, fingerprint, now + OFFBLOCKS_LIFETIMES.idempotencySeconds * 1000, now);
    try {
      await next();
    } catch (error) {
      store.abandon(id);
      throw error;
    }
    const response = c.res;
    if (response.status >= 500) {
      store.abandon(id);
      return;
    }
    store.complete(id, {
      status: response.status,
      body: await response.clone().text(),
      contentType: response.headers.get("content-type"),
    });
  };
}
