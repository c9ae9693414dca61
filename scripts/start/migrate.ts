/**
 * `npm start`'s migration step, in a process of its own (scripts/start.ts runs it and waits): opens the database
 * the configuration names — applying the migrations — and closes it. On its own so that the embedded database's
 * memory (PGlite's WebAssembly heap, which never shrinks) leaves with it instead of staying in the start process
 * for as long as the app runs (~900 MB there before). Prints where the database is; exits 1 with the reason.
 */
import path from "node:path";
import { loadConfig } from "../../lib/config";
import { openDatabase } from "../../lib/db/client";

async function main(): Promise<void> {
  const cfg = loadConfig();
  const target = cfg.databaseUrl ? { postgresUrl: cfg.databaseUrl } : { pgliteDir: path.join(cfg.dataDir, "pglite") };
  const database = await openDatabase(target);
  await database.close();
  console.log(`» Database ready (${database.kind === "postgres" ? "Postgres" : `PGlite in ${target.pgliteDir ?? ""}`}).`);
}

main().catch((error: unknown) => {
  console.error(`» Database not ready: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
