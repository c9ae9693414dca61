/**
 * Provider webhooks for route handlers and the start: the process's OffBlocks webhook handler (app database,
 * configuration, the onboarding module applying re-fetched customers, failed deliveries handed to a job),
 * its processor for those jobs, and its registration at start.
 */
import { config } from "../config";
import { appDatabase } from "../db";
import { logger } from "../log";
import { applyOffblocksCustomerUpdate } from "../onboarding";
import { offblocks } from "../providers/offblocks";
import { scheduleWebhookRetry } from "../jobs";
import {
  createCustomerDeliveryProcessor,
  createOffblocksWebhookHandler,
  type CustomerDeliveryProcessor,
  type OffblocksWebhookHandler,
} from "./offblocks-handler";
import { offblocksWebhookUrl, registerOffblocksWebhook, type WebhookRegistration } from "./offblocks-registration";
import { offblocksWebhookSecret } from "./webhook-secret";
import { sharedInProcess } from "../process-shared";

export { createOffblocksWebhookHandler, OFFBLOCKS_WEBHOOK_PATH, secretMatches } from "./offblocks-handler";
export { offblocksWebhookUrl, registerOffblocksWebhook } from "./offblocks-registration";
export { offblocksWebhookSecret } from "./webhook-secret";

function handler(): Promise<OffblocksWebhookHandler> {
  return sharedInProcess("offblocks-webhook-handler", () =>
    appDatabase().then((database) =>
      createOffblocksWebhookHandler({
        db: database.db,
        secret: offblocksWebhookSecret(config()),
        applyCustomerUpdate: applyOffblocksCustomerUpdate,
        logger: logger(),
        retryLater: scheduleWebhookRetry,
      }),
    ),
  );
}

/** The webhook's processing alone, for the background retries of failed deliveries (lib/jobs). */
export async function offblocksDeliveryProcessor(): Promise<CustomerDeliveryProcessor> {
  const database = await appDatabase();
  return createCustomerDeliveryProcessor({ db: database.db, applyCustomerUpdate: applyOffblocksCustomerUpdate });
}

/** POST /api/webhooks/offblocks/<secret> */
export async function handleOffblocksWebhook(request: Request, secretSegment: string): Promise<Response> {
  return (await handler())(request, secretSegment);
}

/** Registers PUBLIC_URL/api/webhooks/offblocks/<secret> for `customer.updated` (reusing ours if it exists). */
export async function registerOffblocksWebhookAtStart(): Promise<WebhookRegistration> {
  const cfg = config();
  return registerOffblocksWebhook(await offblocks(), offblocksWebhookUrl(cfg.publicUrl, offblocksWebhookSecret(cfg)));
}
