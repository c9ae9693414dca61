/**
 * The databases the suite runs against: PGlite in memory always, and a fresh Postgres database per call
 * when TEST_DATABASE_URL is set (created and dropped around the test file). Used as
 * `describe.each(testDatabaseKinds())` so one suite runs on both.
 */
import { randomBytes } from "node:crypto";
import { openDatabase, type Database } from "./client";

export type TestDatabaseKind = "pglite" | "postgres";

export function testDatabaseKinds(): TestDatabaseKind[] {
  return process.env.TEST_DATABASE_URL ? ["pglite", "postgres"] : ["pglite"];
}

/** A fresh, empty Postgres database on TEST_DATABASE_URL's server: its URL, and `drop` to remove it. */
export async function createTestPostgresDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const adminUrl = process.env.TEST_DATABASE_URL;
  if (!adminUrl) throw new Error("TEST_DATABASE_URL is not set");
  const { Client } = await import("pg");
  const name = `t_${Date.now().toString(36)}_${randomBytes(4).toString("hex")}`;
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const dropper = new Client({ connectionString: adminUrl });
      await dropper.connect();
      await dropper.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await dropper.end();
    },
  };
}

/** A test database; on Postgres with its URL, so a test can open a second connection pool on it (a second instance). */
export async function openTestDatabase(kind: TestDatabaseKind): Promise<Database & { postgresUrl?: string }> {
  const [database] = await openTestDatabaseInstances(kind, 1);
  return database!;
}

/**
 * `count` handles on ONE fresh database, as `count` app instances would hold: on Postgres each its own
 * pool (closing the first closes the others and drops the database), on PGlite (one process) the same handle.
 */
export async function openTestDatabaseInstances(kind: TestDatabaseKind, count: number): Promise<(Database & { postgresUrl?: string })[]> {
  if (kind === "pglite") {
    const database = await openDatabase({ memory: true });
    return Array.from({ length: count }, (_, i) => (i === 0 ? database : { ...database, close: async () => {} }));
  }
  const created = await createTestPostgresDatabase();
  const database = await openDatabase({ postgresUrl: created.url });
  const others = await Promise.all(Array.from({ length: count - 1 }, () => openDatabase({ postgresUrl: created.url })));
  const first: Database & { postgresUrl?: string } = {
    ...database,
    postgresUrl: created.url,
    async close() {
      await Promise.all(others.map((other) => other.close()));
      await database.close();
      await created.drop();
    },
  };
  return [first, ...others.map((other) => ({ ...other, postgresUrl: created.url, close: async () => {} }))];
}

/**
 * Another connection pool on the same Postgres test database — a second app instance, as far as the
 * database can tell. Closing it leaves the database in place (the first handle drops it).
 */
export async function reopenSameDatabase(database: Database & { postgresUrl?: string }): Promise<Database> {
  const url = database.postgresUrl;
  if (!url) throw new Error("reopenSameDatabase: not a Postgres test database from openTestDatabase");
  return openDatabase({ postgresUrl: url });
}
