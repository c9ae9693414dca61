/**
 * Webhook delivery: POST JSON (the entity's fields + `webhookType` + `eventId`) to every webhook subscribed
 * to the event type; any 2xx is success, anything else (status, timeout, refused connection) is retried with
 * jittered exponential backoff up to `maxAttempts`. Every attempt is recorded for /_sandbox inspection.
 * Failures are logged, never thrown; `reset()`/`close()` cancel pending retries and in-flight posts.
 */
import { randomUUID } from "node:crypto";
import type { Logger } from "pino";
import type { Customer, CustomerWebhookPayload } from "@/lib/providers/offblocks/types";
import type { SandboxClock } from "../controls/clock";
import { NewestItems } from "../controls/newest-items";
import type { OffblocksState } from "./state";

export interface WebhookRetryPolicy {
  baseMs: number;
  maxAttempts: number;
}

export const DEFAULT_WEBHOOK_RETRY: WebhookRetryPolicy = { baseMs: 250, maxAttempts: 8 };
export const WEBHOOK_TIMEOUT_MS = 5_000;

export interface WebhookDelivery {
  webhookId: string;
  eventId: string;
  callbackUrl: string;
  attempt: number;
  status?: number;
  error?: string;
  at: string;
}

interface DeliveryJob {
  webhookId: string;
  callbackUrl: string;
  eventId: string;
  body: string;
  attempt: number;
}

/** Delay before attempt `attempt + 1`: base × 2^(attempt−1), jittered to 50–150 %. */
export function retryDelayMs(policy: WebhookRetryPolicy, attempt: number): number {
  return Math.round(policy.baseMs * 2 ** (attempt - 1) * (0.5 + Math.random()));
}

/** how many delivery attempts `GET /_sandbox/webhooks/deliveries` keeps, the newest */
export const WEBHOOK_DELIVERIES_KEPT = 2_000;

export class WebhookDispatcher {
  #deliveries = new NewestItems<WebhookDelivery>(WEBHOOK_DELIVERIES_KEPT);
  #timers = new Set<NodeJS.Timeout>();
  #abort = new AbortController();

  constructor(
    private readonly deps: {
      state: OffblocksState;
      clock: SandboxClock;
      retry: WebhookRetryPolicy;
      logger: Logger;
      timeoutMs?: number;
    },
  ) {}

  /** the newest WEBHOOK_DELIVERIES_KEPT delivery attempts, oldest first */
  deliveries(): readonly WebhookDelivery[] {
    return this.#deliveries.list();
  }

  customerUpdated(customer: Customer): void {
    const eventId = randomUUID();
    const payload: CustomerWebhookPayload = { ...customer, webhookType: "customer.updated", eventId };
    const body = JSON.stringify(payload);
    for (const webhook of this.deps.state.webhooks.values()) {
      if (!webhook.types.includes("customer.updated")) continue;
      void this.#attempt({ webhookId: webhook.id, callbackUrl: webhook.callbackUrl, eventId, body, attempt: 1 });
    }
  }

  async #attempt(job: DeliveryJob): Promise<void> {
    const signal = this.#abort.signal;
    if (signal.aborted) return;
    let outcome: { status: number } | { error: string };
    try {
      const response = await fetch(job.callbackUrl, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: job.body,
        redirect: "manual",
        signal: AbortSignal.any([signal, AbortSignal.timeout(this.deps.timeoutMs ?? WEBHOOK_TIMEOUT_MS)]),
      });
      await response.body?.cancel().catch(() => undefined);
      outcome = { status: response.status };
    } catch (error) {
      outcome = { error: error instanceof Error ? `${error.name}: ${error.message}` : "delivery failed" };
    }
    if (signal.aborted) return;
    this.#deliveries.push({
      webhookId: job.webhookId,
      eventId: job.eventId,
      callbackUrl: job.callbackUrl,
      attempt: job.attempt,
      ...outcome,
      at: this.deps.clock.nowDate().toISOString(),
    });
    if ("status" in outcome && outcome.status >= 200 && outcome.status < 300) return;
    const log = { webhookId: job.webhookId, eventId: job.eventId, attempt: job.attempt, ...outcome };
    if (job.attempt >= this.deps.retry.maxAttempts) {
      this.deps.logger.warn(log, "webhook delivery abandoned");
      return;
    }
    this.deps.logger.info(log, "webhook delivery failed, will retry");
    const timer = setTimeout(
      () => {
        this.#timers.delete(timer);
        if (!this.deps.state.webhooks.has(job.webhookId)) return;
        void this.#attempt({ ...job, attempt: job.attempt + 1 });
      },
      retryDelayMs(this.deps.retry, job.attempt),
    );
    this.#timers.add(timer);
  }

  /** Cancels pending retries and in-flight posts and forgets the delivery log. */
  reset(): void {
    this.close();
    this.#abort = new AbortController();
    this.#deliveries.clear();
  }

  close(): void {
    this.#abort.abort();
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
  }
}
