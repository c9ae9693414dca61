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

/** A test database; on Postgres with its URL, so a test can open a second connection pool on it (a second instance). */
export async function openTestDatabase(kind: TestDatabaseKind): Promise<Database & { postgresUrl?: string }> {
  if (kind === "pglite") return openDatabase({ memory: true });
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
  const database = await openDatabase({ postgresUrl: url.toString() });
  return {
    ...database,
    postgresUrl: url.toString(),
    async close() {
      await database.close();
      const dropper = new Client({ connectionString: adminUrl });
      await dropper.connect();
      await dropper.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await dropper.end();
    },
  };
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
