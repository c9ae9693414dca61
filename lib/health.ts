/** What `/api/health` and the landing page report: the database and each provider, checked now. */
import { sql } from "drizzle-orm";
import { config } from "./config";
import { appDatabase } from "./db";
import { logger } from "./log";
import { offblocks } from "./providers/offblocks";

export type ProviderState = "ok" | "down";
export interface ProviderHealth {
  offblocks: ProviderState;
}
export interface HealthReport {
  status: "ok" | "degraded";
  db: "ok" | "down";
  providers: ProviderHealth;
  /** running against the built-in provider emulators */
  sandbox: boolean;
}

async function databaseState(): Promise<"ok" | "down"> {
  try {
    const { db } = await appDatabase();
    await db.execute(sql`select 1`);
    return "ok";
  } catch (error) {
    logger().error({ err: error }, "database health check failed");
    return "down";
  }
}

async function offblocksState(): Promise<ProviderState> {
  try {
    return await (await offblocks()).health();
  } catch (error) {
    logger().warn({ err: error }, "OffBlocks health check failed");
    return "down";
  }
}

export async function healthReport(): Promise<HealthReport> {
  const [db, offblocksHealth] = await Promise.all([databaseState(), offblocksState()]);
  const providers = { offblocks: offblocksHealth };
  const allUp = db === "ok" && Object.values(providers).every((state) => state === "ok");
  return { status: allUp ? "ok" : "degraded", db, providers, sandbox: config().sandbox.enabled };
}
