/**
 * The single entry the rest of the app uses to talk to Unblock. Nothing else in the app speaks the
 * provider's wire format. `unblock()` is the process-wide client built from the configuration;
 * `createUnblockClient()` builds one from explicit parts (tests, scripts).
 */
import type { Logger } from "pino";
import { config as appConfig, type Config } from "../../config";
import type { BackoffOptions } from "../../http/retry";
import { logger as rootLogger } from "../../log";
import { createUnblockApi, type UnblockApi } from "./client";
import { buildUnblockSiweMessage, type UnblockSiweMessage } from "./siwe-message";
import { sharedValueInProcess } from "../../process-shared";

export type { UnblockApi, UnblockCurrency } from "./client";
export { invalidUserFields, userFieldErrors, UNBLOCK_PROVIDER } from "./client";
export type { FieldErrors, UserField } from "./errors";
export { SESSION_EXPIRED_CODE } from "./errors";
export type { UnblockSiweMessage, UnblockSiweSettings } from "./siwe-message";
export { buildUnblockSiweMessage, generateUnblockNonce, unblockSiweTarget } from "./siwe-message";
export type { CreatedUnblockUser, NewUnblockUser, UnblockAccount, UnblockSignIn, UnblockUser } from "./app-types";
export { CountryCodeSchema, UNBLOCK_CURRENCIES, UNBLOCK_LIFETIMES, UnblockNameSchema } from "./types";

export interface UnblockClient extends UnblockApi {
  /** The SIWE text for this wallet per Unblock's rules (our base URL and UNBLOCK_CHAIN_ID), with a fresh nonce. */
  siweMessage(address: string, issuedAt?: Date): UnblockSiweMessage;
  readonly baseUrl: string;
  readonly chainId: number;
}

export interface CreateUnblockClientOptions {
  config: Pick<Config, "unblock">;
  logger?: Logger;
  fetch?: typeof fetch;
  /** retry delays (tests shorten them) */
  backoff?: BackoffOptions;
}

export function createUnblockClient(options: CreateUnblockClientOptions): UnblockClient {
  const settings = options.config.unblock;
  const log = (options.logger ?? rootLogger()).child({ module: "unblock" });
  const api = createUnblockApi({
    baseUrl: settings.baseUrl,
    apiKey: settings.apiKey,
    timeoutMs: settings.timeoutMs,
    maxRetries: settings.maxRetries,
    logger: log,
    fetch: options.fetch,
    backoff: options.backoff,
  });
  return {
    ...api,
    baseUrl: settings.baseUrl,
    chainId: settings.chainId,
    siweMessage: (address, issuedAt) => buildUnblockSiweMessage({ baseUrl: settings.baseUrl, chainId: settings.chainId }, { address, issuedAt }),
  };
}

/** The process's Unblock client (configuration), built once. */
export function unblock(): UnblockClient {
  return sharedValueInProcess("unblock", () => createUnblockClient({ config: appConfig() }));
}
