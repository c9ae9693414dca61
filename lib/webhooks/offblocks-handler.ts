/**
 * POST /api/webhooks/offblocks/<secret>: OffBlocks' `customer.updated` deliveries (shared/PROVIDERS.md).
 * - a wrong secret → 404, compared in constant time (the URL is the only credential OffBlocks gives us);
 * - the body is validated (bad → 400, never a 5xx); an event type we did not subscribe to → 200, ignored;
 * - deduplicated by `eventId` (table webhook_deliveries): a redelivery → 200 without work;
 * - the body is a hint: the customer is re-fetched from OffBlocks and its current status applied by the
 *   onboarding module, which never moves the step backwards (late, duplicated, out-of-order deliveries);
 * - 2xx only once the update is stored; a failed re-fetch (or database) → 503, the eventId not marked done,
 *   so OffBlocks retries; a customer that is not ours → 200, ignored.
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
import type { CustomerUpdateResult } from "../onboarding/offblocks-webhook";
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
  /** re-fetches the customer and applies it (the onboarding module) */
  applyCustomerUpdate: (customerId: string) => Promise<CustomerUpdateResult>;
  logger: Logger;
}

export type OffblocksWebhookHandler = (request: Request, secretSegment: string) => Promise<Response>;

/** Constant-time equality of two strings of any lengths (both hashed first). */
export function secretMatches(given: string, expected: string): boolean {
  const digest = (value: string) => createHash("sha256").update(value, "utf8").digest();
  return timingSafeEqual(digest(given), digest(expected)) && expected.length > 0;
}

export function createOffblocksWebhookHandler(options: OffblocksWebhookHandlerOptions): OffblocksWebhookHandler {
  const { db, logger } = options;
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

  async function processed(eventId: string): Promise<boolean> {
    const [row] = await db.select({ eventId: webhookDeliveries.eventId }).from(webhookDeliveries).where(eq(webhookDeliveries.eventId, eventId)).limit(1);
    return row !== undefined;
  }

  async function markDone(input: { eventId: string; type: string; entityId: string; result: CustomerUpdateResult }): Promise<void> {
    await db
      .insert(webhookDeliveries)
      .values({
        eventId: input.eventId,
        provider: "offblocks",
        type: input.type,
        entityId: input.entityId,
        outcome: input.result.outcome,
        onboardingId: input.result.onboardingId ?? null,
      })
      .onConflictDoNothing();
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
        let result: CustomerUpdateResult;
        try {
          if (await processed(eventId)) {
            log.debug({ eventId, customerId }, "duplicate webhook delivery");
            return Response.json({ received: true, outcome: "duplicate" });
          }
          result = await options.applyCustomerUpdate(customerId);
          await markDone({ eventId, type: webhookType, entityId: customerId, result });
        } catch (error) {
          log.warn(
            { eventId, customerId, code: error instanceof AppError ? error.code : "internal_error", err: error instanceof AppError ? undefined : error },
            "webhook not processed; OffBlocks will retry",
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
