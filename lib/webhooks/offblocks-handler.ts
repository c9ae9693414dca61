/**
 * POST /api/webhooks/offblocks/<secret>: OffBlocks' `customer.updated` deliveries (shared/PROVIDERS.md).
 * - a wrong secret → 404, compared in constant time (the URL is the only credential OffBlocks gives us);
 * - the body is validated (bad → 400, never a 5xx); an event type we did not subscribe to → 200, ignored;
 * - deduplicated by `eventId` (table webhook_deliveries): a redelivery → 200 without work;
 * - the body is a hint: the customer is re-fetched from OffBlocks and its current status applied by the
 *   onboarding module, which never moves the step backwards (late, duplicated, out-of-order deliveries);
 * - 2xx only once the update is stored; a failed re-fetch (or database) → 503, the eventId not marked done,
 *   so OffBlocks retries — and a background job retries it too (`retryLater`, lib/jobs), so an update whose
 *   redeliveries never reach us is still applied; whichever comes first marks the eventId done;
 * - a customer that is not ours → 200, ignored.
 * Deliveries about one customer are processed one after the other in this process.
 */
import { createHash, timingSafeEqual } from "node:crypto";
import { eq } from "drizzle-orm";
import type { Logger } from "pino";
import { z } from "zod";
import { readJsonBody } from "../api/body";
import { errorResponse } from "../api/error-response";
import type { Db } from "../db/client";
import { webhookDeliveries } from "../db/schema";
import { AppError, errorBody } from "../errors";
import type { CustomerHint, CustomerUpdateResult } from "../onboarding/offblocks-webhook";
import { CustomerWebhookPayloadSchema } from "../providers/offblocks";

export const OFFBLOCKS_WEBHOOK_PATH = "/api/webhooks/offblocks";
export const OFFBLOCKS_WEBHOOK_TYPES = ["customer.updated"] as const;
/** seconds a 503 asks OffBlocks to wait (it retries with its own backoff anyway) */
export const WEBHOOK_RETRY_AFTER_SECONDS = 5;

const EnvelopeSchema = z.object({ webhookType: z.string().min(1).max(100), eventId: z.string().uuid() });

export interface OffblocksWebhookHandlerOptions {
  db: Db;
  /** the expected path segment */
  secret: string;
  /** re-fetches the customer and applies it (the onboarding module); the delivery's hint may spare the re-fetch */
  applyCustomerUpdate: (customerId: string, hint?: CustomerHint) => Promise<CustomerUpdateResult>;
  logger: Logger;
  /** hands a delivery that could not be processed to a background retry (lib/jobs) */
  retryLater?: (delivery: CustomerDelivery) => Promise<void>;
}

/** One `customer.updated` delivery, as far as processing it needs. */
export interface CustomerDelivery {
  eventId: string;
  type: string;
  customerId: string;
  /** the customer as the delivery describes it (none on a background retry, which re-fetches) */
  hint?: CustomerHint;
}

/** Processes a delivery once per eventId: `duplicate` when it was already done; throws when it cannot now. */
export type CustomerDeliveryProcessor = (delivery: CustomerDelivery) => Promise<CustomerUpdateResult | { outcome: "duplicate" }>;

export function createCustomerDeliveryProcessor(options: Pick<OffblocksWebhookHandlerOptions, "db" | "applyCustomerUpdate">): CustomerDeliveryProcessor {
  const { db } = options;
  async function processed(eventId: string): Promise<boolean> {
    const [row] = await db.select({ eventId: webhookDeliveries.eventId }).from(webhookDeliveries).where(eq(webhookDeliveries.eventId, eventId)).limit(1);
    return row !== undefined;
  }
  return async (delivery) => {
    if (await processed(delivery.eventId)) return { outcome: "duplicate" };
    const result = await options.applyCustomerUpdate(delivery.customerId, delivery.hint);
    await db
      .insert(webhookDeliveries)
      .values({
        eventId: delivery.eventId,
        provider: "offblocks",
        type: delivery.type,
        entityId: delivery.customerId,
        outcome: result.outcome,
        onboardingId: result.onboardingId ?? null,
      })
      .onConflictDoNothing();
    return result;
  };
}

export type OffblocksWebhookHandler = (request: Request, secretSegment: string) => Promise<Response>;

/** Constant-time equality of two strings of any lengths (both hashed first). */
export function secretMatches(given: string, expected: string): boolean {
  const digest = (value: string) => createHash("sha256").update(value, "utf8").digest();
  return timingSafeEqual(digest(given), digest(expected)) && expected.length > 0;
}

export function createOffblocksWebhookHandler(options: OffblocksWebhookHandlerOptions): OffblocksWebhookHandler {
  const { logger } = options;
  const processDelivery = createCustomerDeliveryProcessor(options);
  const log = logger.child({ module: "offblocks-webhook" });
  /** customer id → the tail of its deliveries being processed */
  const queues = new Map<string, Promise<unknown>>();

  function oneAtATime<T>(key: string, run: () => Promise<T>): Promise<T> {
    const previous = queues.get(key) ?? Promise.resolve();
    const next = previous.then(run, run);
    const tail = next.catch(() => undefined);
    queues.set(key, tail);
    void tail.then(() => {
      if (queues.get(key) === tail) queues.delete(key);
    });
    return next;
  }

  const retryLater = (message: string) =>
    Response.json(errorBody("webhook_retry_later", message), { status: 503, headers: { "Retry-After": String(WEBHOOK_RETRY_AFTER_SECONDS) } });

  return async (request, secretSegment) => {
    try {
      if (!secretMatches(secretSegment, options.secret)) throw new AppError("not_found", 404, "Not found.");
      const body = await readJsonBody(request, z.unknown());
      const envelope = EnvelopeSchema.safeParse(body);
      if (!envelope.success) throw new AppError("invalid_request", 400, "A webhook body needs a webhookType and a uuid eventId.");
      const { eventId, webhookType } = envelope.data;
      if (!(OFFBLOCKS_WEBHOOK_TYPES as readonly string[]).includes(webhookType)) {
        log.info({ eventId, webhookType }, "webhook of a type we do not handle, ignored");
        return Response.json({ received: true, outcome: "ignored" });
      }
      const parsed = CustomerWebhookPayloadSchema.safeParse(body);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw new AppError("invalid_request", 400, `${issue?.path.join(".") || "body"}: ${issue?.message ?? "invalid"}`);
      }
      const customerId = parsed.data.id;

      return await oneAtATime(customerId, async () => {
        const { status, updatedAt, externalId } = parsed.data;
        const delivery = { eventId, type: webhookType, customerId, hint: { status, updatedAt, externalId } };
        let result: Awaited<ReturnType<CustomerDeliveryProcessor>>;
        try {
          result = await processDelivery(delivery);
          if (result.outcome === "duplicate") {
            log.debug({ eventId, customerId }, "duplicate webhook delivery");
            return Response.json({ received: true, outcome: "duplicate" });
          }
        } catch (error) {
          log.warn(
            { eventId, customerId, code: error instanceof AppError ? error.code : "internal_error", err: error instanceof AppError ? undefined : error },
            "webhook not processed; OffBlocks will retry, and so will a background job",
          );
          await options
            .retryLater?.(delivery)
            .catch((failure: unknown) =>
              log.warn({ eventId, err: failure instanceof Error ? failure.message : String(failure) }, "webhook retry job not scheduled"),
            );
          return retryLater("The update could not be stored now; retry later.");
        }
        log.info({ eventId, customerId, outcome: result.outcome, from: result.from, to: result.to, reason: result.reason }, "webhook processed");
        return Response.json({ received: true, outcome: result.outcome });
      });
    } catch (error) {
      return errorResponse(error);
    }
  };
}
