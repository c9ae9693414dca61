/**
 * The single entry the rest of the app uses to talk to Bloq. Nothing else in the app speaks the provider's
 * wire format. `bloq()` is the process-wide client built from the configuration and the app database;
 * `createBloqClient()` builds one from explicit parts (tests, scripts); `createBloqAccountsClient()` is the
 * merchant's account login (the CLI), which needs no database.
 */
import type { Logger } from "pino";
import { config as appConfig, type Config } from "../../config";
import { secretBoxFromConfig, type SecretBox } from "../../crypto/secret-box";
import { appDatabase } from "../../db";
import type { Db } from "../../db/client";
import { createProviderFetch, type ProviderFetch } from "../../http/provider-fetch";
import type { BackoffOptions } from "../../http/retry";
import { logger as rootLogger } from "../../log";
import { createBloqAccounts, type BloqAccounts } from "./accounts";
import { createBloqConnect } from "./connect";
import { BloqClientTokens } from "./credentials";
import { BLOQ_PROVIDER } from "./errors";
import { createBloqStake, type BloqStake } from "./stake";
import { sharedInProcess } from "../../process-shared";

export type { BloqAccounts } from "./accounts";
export type { BloqStake, StakeLoginInput } from "./stake";
export { BloqClientTokens, BLOQ_TOKEN_REFRESH_MARGIN_SECONDS } from "./credentials";
export { BLOQ_ERROR, BLOQ_PROVIDER } from "./errors";
export { bloqSignInText } from "./sign-in-text";
export { BLOQ_LIFETIMES } from "./types";

/** Bloq Stake's wallet login (`nonce`, `login`) and the merchant's client tokens, like the other providers' clients: one flat object. */
export interface BloqClient extends BloqStake {
  /** the merchant's client tokens (access + refresh), for Connect */
  readonly tokens: BloqClientTokens;
  /** Bloq Connect's status word through the client token */
  connectStatus(): Promise<string>;
  /** "ok" when Connect answers `{status: "ok"}` with our client token now */
  health(): Promise<"ok" | "down">;
}

function bloqFetch(options: { config: Pick<Config, "bloq">; logger: Logger; fetch?: typeof fetch; backoff?: BackoffOptions }): ProviderFetch {
  return createProviderFetch({
    provider: BLOQ_PROVIDER,
    timeoutMs: options.config.bloq.timeoutMs,
    maxRetries: options.config.bloq.maxRetries,
    logger: options.logger,
    fetch: options.fetch,
    backoff: options.backoff,
  });
}

export interface CreateBloqClientOptions {
  db: Db;
  config: Pick<Config, "bloq" | "dataDir" | "dataKey" | "sandbox">;
  logger?: Logger;
  fetch?: typeof fetch;
  backoff?: BackoffOptions;
  secretBox?: SecretBox;
  /** our clock in ms (tests move it) */
  now?: () => number;
}

export function createBloqClient(options: CreateBloqClientOptions): BloqClient {
  const settings = options.config.bloq;
  const log = (options.logger ?? rootLogger()).child({ module: "bloq" });
  const http = bloqFetch({ config: options.config, logger: log, fetch: options.fetch, backoff: options.backoff });
  const tokens = new BloqClientTokens({
    db: options.db,
    accountsUrl: settings.accountsUrl,
    credentials: { clientId: settings.clientId, clientSecret: settings.clientSecret },
    http,
    box: options.secretBox ?? secretBoxFromConfig(options.config),
    logger: log,
    now: options.now,
  });
  const connect = createBloqConnect({ connectUrl: settings.connectUrl, tokens });
  return {
    ...createBloqStake({ stakeUrl: settings.stakeUrl, http }),
    tokens,
    connectStatus: () => connect.status(),
    async health() {
      try {
        return (await connect.status()) === "ok" ? "ok" : "down";
      } catch (error) {
        log.warn({ err: error instanceof Error ? error.message : String(error) }, "bloq connect health check failed");
        return "down";
      }
    },
  };
}

/** The merchant's account at Bloq Accounts (HTTP Basic with BLOQ_EMAIL / BLOQ_PASSWORD): client keys. */
export function createBloqAccountsClient(options: { config: Pick<Config, "bloq">; logger?: Logger; fetch?: typeof fetch }): BloqAccounts {
  const log = (options.logger ?? rootLogger()).child({ module: "bloq" });
  const settings = options.config.bloq;
  return createBloqAccounts({
    accountsUrl: settings.accountsUrl,
    email: settings.email,
    password: settings.password,
    http: bloqFetch({ config: options.config, logger: log, fetch: options.fetch }),
  });
}

/** The process's Bloq client (configuration + app database), built once. */
export function bloq(): Promise<BloqClient> {
  return sharedInProcess("bloq", () => appDatabase().then((database) => createBloqClient({ db: database.db, config: appConfig() })));
}
