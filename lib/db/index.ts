/** The process's database, opened once from the configuration (migrations applied on first use). */
import path from "node:path";
import { config } from "../config";
import { openDatabase, type Database } from "./client";
import { sharedInProcess } from "../process-shared";

export type { Db, Database } from "./client";
export { openDatabase } from "./client";

/** One per process, whichever of Next's module graphs asks first (lib/process-shared explains why). */
export function appDatabase(): Promise<Database> {
  return sharedInProcess("app-database", () => {
    const { databaseUrl, dataDir } = config();
    return openDatabase(databaseUrl ? { postgresUrl: databaseUrl } : { pgliteDir: path.join(dataDir, "pglite") });
  });
}
