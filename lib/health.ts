/**
 * What `/api/health` and the landing page report: the database, checked now, and each provider as the
 * background monitor last found it. The providers are checked every HEALTH_INTERVAL_SECONDS (10 s timeouts
 * each), once per process, never on a request: a provider answering late or not at all costs a page nothing.
 * Until the first check is back a provider is `checking`.
 */
import { sql } from "drizzle-orm";
import { config } from "./config";
import { appDatabase } from "./db";
import { logger } from "./log";
import { sharedValueInProcess } from "./process-shared";
import { bloq } from "./providers/bloq";
import { offblocks } from "./providers/offblocks";
import { unblock } from "./providers/unblock";

export type ProviderState = "ok" | "down" | "checking";
export interface ProviderHealth {
  offblocks: ProviderState;
  unblock: ProviderState;
  /** Bloq Connect's status through the merchant's client token */
  bloq: ProviderState;
}
export interface HealthReport {
  /** degraded when the database or a provider is down */
  status: "ok" | "degraded";
  db: "ok" | "down";
  providers: ProviderHealth;
  /** when the providers were last checked (null until the first check is back) */
  checkedAt: string | null;
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

async function providerState(name: string, check: () => Promise<"ok" | "down">): Promise<ProviderState> {
  try {
    return await check();
  } catch (error) {
    logger().warn({ err: error, provider: name }, "provider health check failed");
    return "down";
  }
}

async function checkProviders(): Promise<ProviderHealth> {
  const [offblocksHealth, unblockHealth, bloqHealth] = await Promise.all([
    providerState("offblocks", async () => (await offblocks()).health()),
    providerState("unblock", async () => unblock().health()),
    providerState("bloq", async () => (await bloq()).health()),
  ]);
  return { offblocks: offblocksHealth, unblock: unblockHealth, bloq: bloqHealth };
}

interface ProviderMonitor {
  providers: ProviderHealth;
  checkedAt: Date | null;
}

/** The process's monitor, started by the first caller (lib/server-start.ts at start): checks now, then on an interval. */
function providerMonitor(): ProviderMonitor {
  return sharedValueInProcess("provider-health-monitor", () => {
    const monitor: ProviderMonitor = { providers: { offblocks: "checking", unblock: "checking", bloq: "checking" }, checkedAt: null };
    let running = false;
    const refresh = () => {
      if (running) return; // a check slower than the interval is not stacked
      running = true;
      checkProviders()
        .then((providers) => Object.assign(monitor, { providers, checkedAt: new Date() }))
        .finally(() => (running = false));
    };
    refresh();
    setInterval(refresh, config().healthIntervalSeconds * 1000).unref();
    return monitor;
  });
}

/** Starts checking the providers in the background (idempotent). */
export function startHealthMonitor(): void {
  providerMonitor();
}

export async function healthReport(): Promise<HealthReport> {
  const monitor = providerMonitor();
  const db = await databaseState();
  const { providers } = monitor;
  const degraded = db !== "ok" || Object.values(providers).some((state) => state === "down");
  return { status: degraded ? "degraded" : "ok", db, providers, checkedAt: monitor.checkedAt?.toISOString() ?? null, sandbox: config().sandbox.enabled };
}
