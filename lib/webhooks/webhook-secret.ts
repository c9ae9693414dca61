/**
 * The secret path segment of our OffBlocks webhook URL (OffBlocks documents no webhook signature, so the URL
 * itself is the credential): OFFBLOCKS_WEBHOOK_SECRET when set; in sandbox mode without it, a random value
 * generated once into `<dataDir>/offblocks-webhook-secret` (mode 0600); outside sandbox mode a missing
 * secret is a configuration error. (The same pattern as SESSION_PASSWORD and DATA_KEY.)
 */
import { readOrCreateSecretFile } from "../crypto/generated-secret";
import { AppError } from "../errors";

export const WEBHOOK_SECRET_FILE = "offblocks-webhook-secret";
export const MIN_WEBHOOK_SECRET_LENGTH = 32;

export interface WebhookSecretSettings {
  offblocks: { webhookSecret?: string | undefined };
  dataDir: string;
  sandbox: { enabled: boolean };
}

export function offblocksWebhookSecret(settings: WebhookSecretSettings): string {
  if (settings.offblocks.webhookSecret) return settings.offblocks.webhookSecret;
  if (settings.sandbox.enabled) return readOrCreateSecretFile(settings.dataDir, WEBHOOK_SECRET_FILE, MIN_WEBHOOK_SECRET_LENGTH);
  throw new AppError(
    "webhook_secret_missing",
    500,
    "OFFBLOCKS_WEBHOOK_SECRET must be set (32+ URL-safe random characters) when real provider credentials are configured",
  );
}
