/**
 * The single entry the rest of the app uses to talk to OffBlocks. Nothing else in the app speaks the
 * provider's wire format. `offblocks()` is the process-wide client built from the configuration and the
 * app database; `createOffblocksClient()` builds one from explicit parts (tests, scripts).
 */
import type { Logger } from "pino";
import { config, type Config } from "../../config";
import { secretBoxFromConfig, type SecretBox } from "../../crypto/secret-box";
import type { Db } from "../../db/client";
import { appDatabase } from "../../db";
import { createProviderFetch, isSuccess } from "../../http/provider-fetch";
import type { BackoffOptions } from "../../http/retry";
import { logger as rootLogger } from "../../log";
import { createOffblocksApi, type OffblocksApi } from "./client";
import { OFFBLOCKS_PROVIDER, OffblocksCredentials, type CredentialStatus } from "./credentials";
import { loadSigningKey, type OffblocksSigningKey } from "./signing-key";
import { sharedInProcess } from "../../process-shared";

export type { Challenge } from "./challenge";
export type { CustomerFilter, CustomerWithChallenge, OffblocksApi, SignChallengeInput } from "./client";
export type { CredentialStatus } from "./credentials";
export type { Customer, CustomerStatus, CustomerWebhookPayload, Webhook, WebhookPut } from "./types";
export { CustomerWebhookPayloadSchema, CUSTOMER_STATUSES, WEBHOOK_TYPES } from "./types";

export interface OffblocksClient extends OffblocksApi {
  readonly credentials: {
    /** `PUT /auth/credentials`, then the stored credentials (version + 1) and the token cache swap together */
    rotate(apiKey: string, apiSecret: string): Promise<{ version: number }>;
    /** `DELETE /auth/credentials`: revokes API access for good */
    revoke(): Promise<void>;
    /** registers our request-signing key if OffBlocks does not have it yet; its keyId */
    ensureSigningKey(): Promise<string>;
    status(): Promise<CredentialStatus>;
  };
  /** "ok" when OffBlocks answers an authenticated, signed request now (no retries), else "down". */
  health(): Promise<"ok" | "down">;
}

export interface CreateOffblocksClientOptions {
  db: Db;
  config: Pick<Config, "offblocks" | "dataDir" | "dataKey" | "sandbox">;
  logger?: Logger;
  fetch?: typeof fetch;
  /** defaults to the box keyed by DATA_KEY (or the sandbox data-key file) */
  secretBox?: SecretBox;
  /** defaults to OFFBLOCKS_SIGNING_KEY, else the key file in the data dir */
  signingKey?: OffblocksSigningKey;
  /** retry delays (tests shorten them) */
  backoff?: BackoffOptions;
  /** our clock in ms (token cache) */
  now?: () => number;
}

export function createOffblocksClient(options: CreateOffblocksClientOptions): OffblocksClient {
  const { config, db } = options;
  const log = (options.logger ?? rootLogger()).child({ module: "offblocks" });
  const http = createProviderFetch({
    provider: OFFBLOCKS_PROVIDER,
    timeoutMs: config.offblocks.timeoutMs,
    maxRetries: config.offblocks.maxRetries,
    logger: log,
    fetch: options.fetch,
    backoff: options.backoff,
  });
  const auth = new OffblocksCredentials({
    db,
    baseUrl: config.offblocks.baseUrl,
    defaults: { apiKey: config.offblocks.apiKey, apiSecret: config.offblocks.apiSecret },
    sandbox: config.sandbox.enabled,
    signingKey: options.signingKey ?? loadSigningKey({ pem: config.offblocks.signingKeyPem, dataDir: config.dataDir }),
    http,
    box: options.secretBox ?? secretBoxFromConfig(config),
    logger: log,
    now: options.now,
  });
  const api = createOffblocksApi({ db, auth, logger: log });
  return {
    ...api,
    credentials: {
      rotate: (apiKey, apiSecret) => auth.rotate(apiKey, apiSecret),
      revoke: () => auth.revoke(),
      ensureSigningKey: () => auth.ensureSigningKey(),
      status: () => auth.status(),
    },
    async health() {
      try {
        const response = await auth.send({ method: "GET", path: "/webhooks", maxRetries: 0 });
        return isSuccess(response) ? "ok" : "down";
      } catch {
        return "down";
      }
    },
  };
}

/** The process's OffBlocks client (configuration + app database), built once. */
export function offblocks(): Promise<OffblocksClient> {
  return sharedInProcess("offblocks", () => appDatabase().then((database) => createOffblocksClient({ db: database.db, config: config() })));
}
