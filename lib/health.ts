/** What `/api/health` and the landing page report: the database and each provider, checked now. */
import { sql } from "drizzle-orm";
import { config } from "./config";
import { appDatabase } from "./db";
import { logger } from "./log";
import { bloq } from "./providers/bloq";
import { offblocks } from "./providers/offblocks";
import { unblock } from "./providers/unblock";

export type ProviderState = "ok" | "down";
export interface ProviderHealth {
  offblocks: ProviderState;
  unblock: ProviderState;
  /** Bloq Connect's status through the merchant's client token */
  bloq: ProviderState;
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

async function providerState(name: string, check: () => Promise<ProviderState>): Promise<ProviderState> {
  try {
    return await check();
  } catch (error) {
    logger().warn({ err: error, provider: name }, "provider health check failed");
    return "down";
  }
}

export async function healthReport(): Promise<HealthReport> {
  const [db, offblocksHealth, unblockHealth, bloqHealth] = await Promise.all([
    databaseState(),
    providerState("offblocks", async () => (await offblocks()).health()),
    providerState("unblock", async () => unblock().health()),
    providerState("bloq", async () => (await bloq()).health()),
  ]);
  const providers: ProviderHealth = { offblocks: offblocksHealth, unblock: unblockHealth, bloq: bloqHealth };
  const allUp = db === "ok" && Object.values(providers).every((state) => state === "ok");
  return { status: allUp ? "ok" : "degraded", db, providers, sandbox: config().sandbox.enabled };
}
