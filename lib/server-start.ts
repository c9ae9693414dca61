/**
 * What the server does once at start: open the database (applying migrations), make the local administration
 * token (lib/staff/admin-token), make sure OffBlocks has
 * our request-signing key, register our `customer.updated` webhook (lib/webhooks), and start this
 * instance's job workers (lib/jobs: background follow-ups of OffBlocks customers, webhook retries). A provider
 * that is down does not stop the start: the key is registered on the first call that needs it instead, and
 * customers are followed by the jobs (and the page's polls) until the webhook is registered at the next start.
 * The key and webhook steps run under a fleet-wide lock (lib/db/advisory-lock): instances starting at once on
 * one Postgres take turns, so the first registers and the others find its key id and webhook in place.
 */
import { config } from "./config";
import { appDatabase } from "./db";
import { FLEET_LOCKS, withFleetLock } from "./db/advisory-lock";
import { startHealthMonitor } from "./health";
import { logger } from "./log";
import { offblocks } from "./providers/offblocks";
import { ensureAdminToken } from "./staff/admin-token";
import { registerOffblocksWebhookAtStart } from "./webhooks";
import { startBackgroundJobs } from "./jobs/worker-start";

export async function prepareServer(): Promise<void> {
  const log = logger().child({ module: "start" });
  const database = await appDatabase();
  log.info({ db: database.kind }, "database ready");
  // for `npm run cli -- staff …` while this process holds the database (lib/staff/admin-token.ts)
  ensureAdminToken(config().dataDir);
  await startBackgroundJobs();
  log.info("background jobs started");
  await withFleetLock(database, FLEET_LOCKS.serverStart, () => registerAtProviders(log));
  // the providers' health is checked from now on in the background: pages and /api/health read the last check
  startHealthMonitor();
}

async function registerAtProviders(log: ReturnType<typeof logger>): Promise<void> {
  try {
    const keyId = await (await offblocks()).credentials.ensureSigningKey();
    log.info({ keyId }, "OffBlocks request-signing key in place (registered, or the one another instance registered)");
  } catch (error) {
    log.warn({ err: error instanceof Error ? error.message : String(error) }, "OffBlocks signing key not registered yet; will retry on first call");
  }
  try {
    const { webhook, action } = await registerOffblocksWebhookAtStart();
    log.info({ webhookId: webhook.id, action }, "OffBlocks webhook registered");
  } catch (error) {
    log.warn(
      { err: error instanceof Error ? error.message : String(error) },
      "OffBlocks webhook not registered; customers are followed by the background jobs",
    );
  }
}
