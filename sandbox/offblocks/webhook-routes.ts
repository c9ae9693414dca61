/** /webhooks: register (or replace), list, read, delete. */
import { randomUUID } from "node:crypto";
import { Hono } from "hono";
import { WebhookPutSchema } from "@/lib/providers/offblocks/types";
import type { SandboxClock } from "../controls/clock";
import type { SandboxEnv } from "../http/env";
import { parseJsonBody } from "../http/json-body";
import { invalidRequest, notFound } from "./errors";
import type { RouteGuards } from "./route-guards";
import { webhookView, type OffblocksState, type WebhookRecord } from "./state";

export function webhookRoutes(state: OffblocksState, clock: SandboxClock, guards: RouteGuards): Hono<SandboxEnv> {
  const app = new Hono<SandboxEnv>();

  const findWebhook = (id: string): WebhookRecord => {
    const webhook = state.webhooks.get(id);
    if (!webhook) throw notFound("Webhook");
    return webhook;
  };

  app.put("/webhooks", guards.signed, (c) => {
    const body = parseJsonBody(c, WebhookPutSchema);
    const protocol = new URL(body.callbackUrl).protocol;
    if (protocol !== "http:" && protocol !== "https:") throw invalidRequest("callbackUrl must be an http(s) URL");
    const types = [...new Set(body.types)];
    const now = clock.now();
    let webhook: WebhookRecord;
    if (body.id !== undefined) {
      webhook = findWebhook(body.id);
      webhook.callbackUrl = body.callbackUrl;
      webhook.types = types;
      webhook.updatedAt = now;
    } else {
      webhook = { id: randomUUID(), callbackUrl: body.callbackUrl, types, createdAt: now, updatedAt: now };
      state.webhooks.set(webhook.id, webhook);
    }
    return c.json(webhookView(webhook), 200);
  });

  app.get("/webhooks", guards.signed, (c) => c.json({ items: [...state.webhooks.values()].map(webhookView) }, 200));

  app.get("/webhooks/:id", guards.signed, (c) => c.json(webhookView(findWebhook(c.req.param("id"))), 200));

  app.delete("/webhooks/:id", guards.signed, (c) => {
    state.webhooks.delete(findWebhook(c.req.param("id")).id);
    return c.body(null, 204);
  });

  return app;
}
