/**
 * One step at a time across the fleet: `withFleetLock` runs a function while this instance holds a Postgres
 * transaction-level advisory lock, so instances starting at once take turns (e.g. registering the OffBlocks
 * signing key and webhook at start, where each would otherwise see "none yet" and create its own). With PGlite
 * there is one process and the function just runs.
 */
import { sql } from "drizzle-orm";
import type { Database } from "./client";

/** Advisory lock keys of the app (one constant per job; lib/db/client.ts holds the migrations' own). */
export const FLEET_LOCKS = { serverStart: 727_002, jobQueueStart: 727_003 } as const;

export async function withFleetLock<T>(database: Database, key: number, run: () => Promise<T>): Promise<T> {
  if (database.kind !== "postgres") return run();
  // the lock lives as long as this transaction; `run` uses the pool's other connections as usual
  return database.db.transaction(async (tx) => {
    await tx.execute(sql`SELECT pg_advisory_xact_lock(${key})`);
    return run();
  });
}
