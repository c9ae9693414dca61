/**
 * One OffBlocks emulator: its state, its routes (mounted by sandbox/server.ts at /offblocks/v1), its
 * automatic customer steps and its webhook deliveries. Everything here belongs to the instance.
 */
import { Hono } from "hono";
import type { Logger } from "pino";
import type { SandboxClock } from "../controls/clock";
import type { SandboxEnv } from "../http/env";
import { authRoutes } from "./auth-routes";
import { CustomerLifecycle } from "./customer-lifecycle";
import { customerRoutes } from "./customer-routes";
import { routeGuards } from "./route-guards";
import { simulatorRoutes } from "./simulator-routes";
import { customerView, OffblocksState } from "./state";
import type { Customer } from "@/lib/providers/offblocks/types";
import { WebhookDispatcher, type WebhookDelivery, type WebhookRetryPolicy } from "./webhook-delivery";
import { webhookRoutes } from "./webhook-routes";

export interface OffblocksEmulatorOptions {
  clock: SandboxClock;
  logger: Logger;
  autoAdvanceMs: number | false;
  webhookRetry: WebhookRetryPolicy;
}

export interface OffblocksEmulator {
  app: Hono<SandboxEnv>;
  webhookDeliveries(): readonly WebhookDelivery[];
  /** every customer, oldest first, whatever credentials created it (a real OffBlocks lists a merchant's own) */
  customers(): Customer[];
  /** empty state, default credentials, no pending steps or deliveries */
  reset(): void;
  close(): void;
}

export function createOffblocksEmulator(options: OffblocksEmulatorOptions): OffblocksEmulator {
  const { clock } = options;
  const state = new OffblocksState();
  const webhooks = new WebhookDispatcher({
    state,
    clock,
    retry: options.webhookRetry,
    logger: options.logger.child({ provider: "offblocks" }),
  });
  const lifecycle = new CustomerLifecycle({ state, clock, webhooks, autoAdvanceMs: options.autoAdvanceMs });
  const guards = routeGuards(state, clock);

  const app = new Hono<SandboxEnv>();
  app.route("/", authRoutes(state, clock, guards));
  app.route("/", customerRoutes(state, clock, lifecycle, guards));
  app.route("/", simulatorRoutes(state, lifecycle, guards));
  app.route("/", webhookRoutes(state, clock, guards));

  return {
    app,
    webhookDeliveries: () => webhooks.deliveries(),
    customers: () => [...state.customers.values()].sort((a, b) => a.createdAt - b.createdAt).map(customerView),
    reset() {
      lifecycle.cancelAll();
      webhooks.reset();
      state.reset();
    },
    close() {
      lifecycle.cancelAll();
      webhooks.close();
    },
  };
}
