import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../db/client";
import { idempotencyKeys } from "../db/schema";
import { openTestDatabase, testDatabaseKinds, type TestDatabaseKind } from "../db/test-databases";
import { completeOperation, operationKey, requestHash, withOperationKey } from "./idempotency";

describe.each(testDatabaseKinds())("idempotency keys on %s", (kind: TestDatabaseKind) => {
  let database: Database;
  beforeAll(async () => {
    database = await openTestDatabase(kind);
  });
  afterAll(async () => {
    await database?.close();
  });

  const row = async (operation: string) => (await database.db.select().from(idempotencyKeys).where(eq(idempotencyKeys.operation, operation)))[0];

  it("stores the key before use and gives the same key on every later call", async () => {
    const spec = { operation: "acme:create:1", provider: "acme", requestBody: { a: 1 } };
    const first = await operationKey(database.db, spec);
    expect(first).toMatchObject({ reused: false, responseStatus: null });
    expect(await row(spec.operation)).toMatchObject({ key: first.key, provider: "acme", requestHash: requestHash({ a: 1 }), completedAt: null });
    const again = await operationKey(database.db, spec);
    expect(again).toMatchObject({ key: first.key, reused: true });
  });

  it("hands concurrent callers one key", async () => {
    const spec = { operation: "acme:create:2", provider: "acme", requestBody: { b: 2 } };
    const keys = await Promise.all(Array.from({ length: 10 }, () => operationKey(database.db, spec)));
    expect(new Set(keys.map((k) => k.key)).size).toBe(1);
    expect(keys.filter((k) => !k.reused)).toHaveLength(1);
  });

  it("records completion, and gives a new key when the body changes", async () => {
    const spec = { operation: "acme:sign:3", provider: "acme", requestBody: { signature: "x" } };
    const first = await operationKey(database.db, spec);
    await completeOperation(database.db, spec.operation, first.key, 400);
    expect(await row(spec.operation)).toMatchObject({ responseStatus: 400 });
    expect((await row(spec.operation))?.completedAt).toBeInstanceOf(Date);
    expect(await operationKey(database.db, spec)).toMatchObject({ key: first.key, reused: true, responseStatus: 400 });

    const changed = await operationKey(database.db, { ...spec, requestBody: { signature: "y" } });
    expect(changed.key).not.toBe(first.key);
    expect(changed).toMatchObject({ reused: false, responseStatus: null });
    await completeOperation(database.db, spec.operation, first.key, 200); // a stale key does not complete the new one
    expect(await row(spec.operation)).toMatchObject({ key: changed.key, responseStatus: null, completedAt: null });
  });

  it("leaves the operation open when the call fails, so the next run reuses the key", async () => {
    const spec = { operation: "acme:create:4", provider: "acme", requestBody: undefined };
    const used: string[] = [];
    await expect(
      withOperationKey(database.db, spec, async (key) => {
        used.push(key);
        throw new Error("crash");
      }),
    ).rejects.toThrow("crash");
    expect((await row(spec.operation))?.completedAt).toBeNull();
    await withOperationKey(database.db, spec, async (key) => {
      used.push(key);
      return { status: 503 };
    });
    expect((await row(spec.operation))?.completedAt).toBeNull();
    await withOperationKey(database.db, spec, async (key) => {
      used.push(key);
      return { status: 201 };
    });
    expect(new Set(used).size).toBe(1);
    expect(await row(spec.operation)).toMatchObject({ responseStatus: 201 });
  });
});
