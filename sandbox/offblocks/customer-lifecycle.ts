/**
 * Customer status changes: initiating → screening (challenge verified) → verifying → active, or rejected
 * (final); active → inactive. Every change emits `customer.updated`. The sandbox approves screening and
 * KYC by itself, one step every `autoAdvanceMs` (false: only the simulator endpoints move a customer on).
 */
import type { CustomerStatus } from "@/lib/providers/offblocks/types";
import type { SandboxClock } from "../controls/clock";
import { customerView, type CustomerRecord, type OffblocksState } from "./state";
import type { WebhookDispatcher } from "./webhook-delivery";

export const DEFAULT_AUTO_ADVANCE_MS = 600;

const AUTO_NEXT: Partial<Record<CustomerStatus, CustomerStatus>> = { screening: "verifying", verifying: "active" };

export class CustomerLifecycle {
  #timers = new Set<NodeJS.Timeout>();

  constructor(
    private readonly deps: {
      state: OffblocksState;
      clock: SandboxClock;
      webhooks: WebhookDispatcher;
      autoAdvanceMs: number | false;
    },
  ) {}

  transition(customer: CustomerRecord, to: CustomerStatus): void {
    customer.status = to;
    customer.updatedAt = this.deps.clock.now();
    if (to !== "initiating") customer.challenge = undefined;
    this.deps.webhooks.customerUpdated(customerView(customer));
    this.#scheduleAutoAdvance(customer.id, to);
  }

  #scheduleAutoAdvance(customerId: string, from: CustomerStatus): void {
    const delay = this.deps.autoAdvanceMs;
    if (delay === false || !AUTO_NEXT[from]) return;
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      const customer = this.deps.state.customers.get(customerId);
      const next = AUTO_NEXT[from];
      if (customer?.status === from && next) this.transition(customer, next);
    }, delay);
    this.#timers.add(timer);
  }

  /** Cancels every pending automatic step. */
  cancelAll(): void {
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
  }
}
