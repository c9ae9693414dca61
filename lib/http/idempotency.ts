/**
 * Idempotency keys of outgoing provider calls, persisted BEFORE the first attempt (table idempotency_keys),
 * so that every retry of a logical operation — even after a crash and restart — sends the same key and the
 * provider answers the stored response instead of acting twice.
 *
 * An operation is named by the caller (e.g. `offblocks:create-customer:<onboarding id>`). The key is bound
 * to the request body it was first used with (sha-256): repeating the operation with the same body reuses
 * the key; with a different body (a new challenge to sign, say) it is a different request, which gets a
 * new key — the provider would refuse the old key with a different payload anyway.
 */
import { createHash, randomUUID } from "node:crypto";
import { and, eq } from "drizzle-orm";
import type { Db } from "../db/client";
import { idempotencyKeys } from "../db/schema";

export interface OperationSpec {
  /** stable name of the logical call */
  operation: string;
  provider: string;
  /** the body as it will be sent (undefined for none) */
  requestBody: unknown;
}

export interface OperationKey {
  operation: string;
  key: string;
  /** true when the key was stored by an earlier call (a retry, a restart) */
  reused: boolean;
  /** the provider's status once a final answer arrived earlier, else null */
  responseStatus: number | null;
}

/** sha-256 (hex) of the body exactly as provider-fetch serialises it. */
export function requestHash(body: unknown): string {
  return createHash("sha256")
    .update(body === undefined ? "" : JSON.stringify(body))
    .digest("hex");
}

export async function operationKey(db: Db, spec: OperationSpec): Promise<OperationKey> {
  const hash = requestHash(spec.requestBody);
  const fresh = randomUUID();
  // the first call stores its key and gets the row back; a later one (a retry, a restart) reads the stored row
  const [inserted] = await db
    .insert(idempotencyKeys)
    .values({ operation: spec.operation, provider: spec.provider, key: fresh, requestHash: hash })
    .onConflictDoNothing({ target: idempotencyKeys.operation })
    .returning();
  let row = inserted ?? (await read(db, spec.operation));
  if (row && row.requestHash !== hash) {
    // Same operation, different request: replace the key (compare-and-set against the hash we saw).
    const [replaced] = await db
      .update(idempotencyKeys)
      .set({ key: fresh, requestHash: hash, responseStatus: null, completedAt: null, createdAt: new Date() })
      .where(and(eq(idempotencyKeys.operation, spec.operation), eq(idempotencyKeys.requestHash, row.requestHash)))
      .returning();
    row = replaced ?? (await read(db, spec.operation));
  }
  if (!row) throw new Error(`idempotency key of ${spec.operation} vanished`);
  return { operation: spec.operation, key: row.key, reused: row.key !== fresh, responseStatus: row.responseStatus };
}

/** Records the final answer of the call made with `key` (a key replaced meanwhile is left alone). */
export async function completeOperation(db: Db, operation: string, key: string, status: number): Promise<void> {
  await db
    .update(idempotencyKeys)
    .set({ responseStatus: status, completedAt: new Date() })
    .where(and(eq(idempotencyKeys.operation, operation), eq(idempotencyKeys.key, key)));
}

/**
 * Runs `call` with the operation's key and records its status when it is final (by default: below 500).
 * A call that throws (provider unavailable, crash) leaves the operation open, so its next run reuses the key.
 */
export async function withOperationKey<T extends { status: number }>(
  db: Db,
  spec: OperationSpec,
  call: (key: string) => Promise<T>,
  isFinal: (result: T) => boolean = (result) => result.status < 500,
): Promise<T> {
  const { key } = await operationKey(db, spec);
  const result = await call(key);
  if (isFinal(result)) await completeOperation(db, spec.operation, key, result.status);
  return result;
}

async function read(db: Db, operation: string) {
  const [row] = await db.select().from(idempotencyKeys).where(eq(idempotencyKeys.operation, operation)).limit(1);
  return row;
}
