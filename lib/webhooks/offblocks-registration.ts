/**
 * Registration of our `customer.updated` webhook at OffBlocks, at start. Idempotent: the webhooks OffBlocks
 * holds are listed first and one pointing at our webhook path (PUBLIC_URL/api/webhooks/offblocks/…) is reused
 * by id — updated when its URL (a new secret) or types differ — so restarts never pile webhooks up.
 */
import type { OffblocksApi, Webhook } from "../providers/offblocks";
import { OFFBLOCKS_WEBHOOK_PATH, OFFBLOCKS_WEBHOOK_TYPES } from "./offblocks-handler";

/** `<publicUrl>/api/webhooks/offblocks/<secret>` */
export function offblocksWebhookUrl(publicUrl: string, secret: string): string {
  return `${publicUrl.replace(/\/$/, "")}${OFFBLOCKS_WEBHOOK_PATH}/${encodeURIComponent(secret)}`;
}

export interface WebhookRegistration {
  webhook: Webhook;
  /** created: none of ours existed; updated: ours had another URL or types; unchanged: already right */
  action: "created" | "updated" | "unchanged";
}

export async function registerOffblocksWebhook(
  client: Pick<OffblocksApi, "listWebhooks" | "registerWebhook">,
  callbackUrl: string,
): Promise<WebhookRegistration> {
  const prefix = callbackUrl.slice(0, callbackUrl.lastIndexOf("/") + 1);
  const existing = await client.listWebhooks();
  const ours = existing.find((w) => w.callbackUrl === callbackUrl) ?? existing.find((w) => w.callbackUrl.startsWith(prefix));
  const types = [...OFFBLOCKS_WEBHOOK_TYPES];
  if (ours && ours.callbackUrl === callbackUrl && types.every((type) => ours.types.includes(type))) {
    return { webhook: ours, action: "unchanged" };
  }
  const webhook = await client.registerWebhook({ ...(ours ? { id: ours.id } : {}), callbackUrl, types });
  return { webhook, action: ours ? "updated" : "created" };
}
