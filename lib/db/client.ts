/**
 * Opens the database: PGlite (embedded Postgres) in DATA_DIR by default, in memory for tests, or Postgres
 * when a URL is given. One schema, one set of migrations (lib/db/migrations), applied on open — on Postgres under
 * a session advisory lock, because drizzle's migrator is not safe against a concurrent run: instances of a fleet
 * starting at once on an empty database take turns, and each after the first finds nothing left to apply.
 */
import fs from "node:fs";
import path from "node:path";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import * as schema from "./schema";

export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;

/** Raw SQL on the database's own connection(s), `$1…` placeholders; several statements only without values. */
export type ExecuteSql = (text: string, values?: unknown[]) => Promise<{ rows: Record<string, unknown>[] }>;

export interface Database {
  db: Db;
  kind: "pglite" | "postgres";
  /** for a library that brings its own SQL (the job queue, lib/jobs) over the same connections */
  executeSql: ExecuteSql;
  close(): Promise<void>;
}

export type DatabaseTarget = { postgresUrl: string } | { pgliteDir: string } | { memory: true };

export const MIGRATIONS_DIR = path.resolve(import.meta.dirname ?? process.cwd(), "migrations");

function migrationsFolder(): string {
  // In a Next.js server bundle import.meta.dirname points into .next; fall back to the source tree.
  return fs.existsSync(MIGRATIONS_DIR) ? MIGRATIONS_DIR : path.resolve(process.cwd(), "lib/db/migrations");
}

/** The Postgres advisory lock key the migrations run under (any constant the app uses for nothing else). */
export const MIGRATION_LOCK_KEY = 727_001;

export async function openDatabase(target: DatabaseTarget): Promise<Database> {
  if ("postgresUrl" in target) {
    const { Pool } = await import("pg");
    const { drizzle } = await import("drizzle-orm/node-postgres");
    const { migrate } = await import("drizzle-orm/node-postgres/migrator");
    const pool = new Pool({ connectionString: target.postgresUrl, max: 10 });
    // An idle connection that the server ends (restart, failover, dropped database) must not crash the
    // process: the pool replaces it on the next query.
    pool.on("error", () => {});
    const db = drizzle(pool, { schema });
    const client = await pool.connect();
    try {
      await client.query("SELECT pg_advisory_lock($1)", [MIGRATION_LOCK_KEY]);
      try {
        await migrate(drizzle(client, { schema }), { migrationsFolder: migrationsFolder() });
      } finally {
        await client.query("SELECT pg_advisory_unlock($1)", [MIGRATION_LOCK_KEY]);
      }
    } finally {
      client.release();
    }
    const executeSql: ExecuteSql = async (text, values) => pool.query(text, values);
    return { db: db as unknown as Db, kind: "postgres", executeSql, close: () => pool.end() };
  }
  const { PGlite } = await import("@electric-sql/pglite");
  const { drizzle } = await import("drizzle-orm/pglite");
  const { migrate } = await import("drizzle-orm/pglite/migrator");
  let dataDir: string | undefined;
  if ("pgliteDir" in target) {
    fs.mkdirSync(target.pgliteDir, { recursive: true });
    dataDir = target.pgliteDir;
  }
  const client = new PGlite(dataDir);
  const db = drizzle(client, { schema });
  await migrate(db, { migrationsFolder: migrationsFolder() });
  return { db: db as unknown as Db, kind: "pglite", executeSql: pgliteExecutor(client), close: () => client.close() };
}

/**
 * PGlite has one connection: a parameterised statement goes through `query`; a script of several statements
 * (`BEGIN; …; COMMIT;`, as pg-boss sends them) through `exec`, as one call, so nothing else interleaves.
 * A script that fails inside its BEGIN is rolled back at once, or the shared connection would stay in an
 * aborted transaction.
 */
function pgliteExecutor(client: import("@electric-sql/pglite").PGlite): ExecuteSql {
  return async (text, values) => {
    if (values && values.length > 0) return client.query<Record<string, unknown>>(text, values);
    try {
      const results = await client.exec(text);
      return { rows: (results.at(-1)?.rows ?? []) as Record<string, unknown>[] };
    } catch (error) {
      await client.exec("ROLLBACK").catch(() => undefined);
      throw error;
    }
  };
}
