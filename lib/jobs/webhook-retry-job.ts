/**
 * The `offblocks-webhook-retry` job: a `customer.updated` delivery whose re-fetch failed (the webhook answered
 * 503), processed again by the same processor as the webhook route (lib/webhooks/offblocks-handler.ts):
 * deduplicated by eventId, so OffBlocks' own redelivery and this job apply it once between them. A failure
 * throws: pg-boss retries the job with exponential backoff (queue settings in ./queue.ts).
 */
import type { CustomerDelivery, CustomerDeliveryProcessor } from "../webhooks/offblocks-handler";
import type { QueueJob, WebhookRetryJobData } from "./queue";

export function webhookRetryJobHandler(processDelivery: CustomerDeliveryProcessor): (job: QueueJob<WebhookRetryJobData>) => Promise<void> {
  return async ({ data }) => {
    const delivery: CustomerDelivery = { eventId: data.eventId, type: data.type, customerId: data.customerId };
    await processDelivery(delivery);
  };
}
