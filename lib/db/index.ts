/** The process's database, opened once from the configuration (migrations applied on first use). */
import path from "node:path";
import { config } from "../config";
import { openDatabase, type Database } from "./client";

export type { Db, Database } from "./client";
export { openDatabase } from "./client";

let opening: Promise<Database> | undefined;

export function appDatabase(): Promise<Database> {
  opening ??= (() => {
    const { databaseUrl, dataDir } = config();
    return openDatabase(databaseUrl ? { postgresUrl: databaseUrl } : { pgliteDir: path.join(dataDir, "pglite") });
  })();
  return opening;
}
