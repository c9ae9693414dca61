/**
 * The one place the environment is read. Every variable is validated with zod and has a sandbox default,
 * so a fresh clone runs with no set-up; a bad value stops the start with one line naming the variable.
 * Secrets are marked in CONFIG_SECRETS so the logger can redact them.
 */
import path from "node:path";
import { getAddress, isAddress, type Address } from "viem";
import { z } from "zod";
import { parseRateLimits, type RateLimits } from "./api/rate-limits";
import { SANDBOX_DEFAULTS, SANDBOX_PREFIX } from "./sandbox-defaults";

const port = z.coerce.number().int().min(0).max(65535);
const optionalUrl = z.string().url().optional();
const positiveInt = z.coerce.number().int().positive();
const emptyAsUndefined = (value: unknown) => (value === "" ? undefined : value);
/** `300,324` → [300, 324]: at least one chain id, no duplicates. */
const ChainIdList = z.string().transform((text, ctx) => {
  const parts = text.split(",").map((part) => part.trim());
  if (!parts.every((part) => /^[1-9][0-9]{0,15}$/.test(part))) {
    ctx.addIssue({ code: "custom", message: "must be a comma-separated list of chain ids, e.g. 300,324" });
    return z.NEVER;
  }
  const ids = parts.map(Number);
  if (new Set(ids).size !== ids.length) {
    ctx.addIssue({ code: "custom", message: "must not repeat a chain id" });
    return z.NEVER;
  }
  return ids;
});

/** `300=https://rpc…,324=https://rpc…` → {300: "https://rpc…", 324: "https://rpc…"}. */
const RpcUrlMap = z.string().transform((text, ctx) => {
  const map: Record<number, string> = {};
  for (const entry of text
    .split(",")
    .map((part) => part.trim())
    .filter(Boolean)) {
    const match = /^([1-9][0-9]*)=(https?:\/\/\S+)$/.exec(entry);
    const url = match?.[2] && URL.canParse(match[2]) ? match[2] : undefined;
    if (!match?.[1] || !url) {
      ctx.addIssue({ code: "custom", message: "must be a comma-separated list of <chainId>=<http(s) URL>" });
      return z.NEVER;
    }
    map[Number(match[1])] = url;
  }
  return map;
});

/** Comma-separated wallet addresses (any case) → EIP-55. */
const AddressList = z.string().transform((text, ctx) => {
  const addresses: Address[] = [];
  for (const part of text
    .split(",")
    .map((p) => p.trim())
    .filter(Boolean)) {
    if (!isAddress(part, { strict: false })) {
      ctx.addIssue({ code: "custom", message: "must be a comma-separated list of 0x addresses" });
      return z.NEVER;
    }
    addresses.push(getAddress(part));
  }
  return addresses;
});

const EnvSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  PORT: port.default(3000),
  HOST: z
    .string()
    .regex(/^[0-9A-Za-z.:-]{1,253}$/, "must be an address to listen on, e.g. 127.0.0.1")
    .optional(),
  SANDBOX_PORT: port.default(SANDBOX_DEFAULTS.port),
  SANDBOX_URL: z
    .string()
    .regex(/^https?:\/\/[^/?#\s]+\/?$/, "must be the origin of a running sandbox, e.g. http://127.0.0.1:4010")
    .optional(),
  PUBLIC_URL: optionalUrl,
  DATA_DIR: z.string().min(1).default(".data"),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, "must be a postgres:// URL")
    .optional(),
  DATA_KEY: z.string().min(32, "must be at least 32 characters").optional(),
  HEALTH_INTERVAL_SECONDS: z.coerce.number().int().min(1).max(3600).default(30),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  OFFBLOCKS_BASE_URL: optionalUrl,
  OFFBLOCKS_API_KEY: z.string().uuid("must be a UUID").default(SANDBOX_DEFAULTS.offblocks.apiKey),
  OFFBLOCKS_API_SECRET: z.string().min(1).default(SANDBOX_DEFAULTS.offblocks.apiSecret),
  OFFBLOCKS_SIGNING_KEY: z.string().includes("PRIVATE KEY", { message: "must be a PEM private key" }).optional(),
  OFFBLOCKS_TIMEOUT_MS: positiveInt.default(10_000),
  OFFBLOCKS_MAX_RETRIES: z.coerce.number().int().min(0).max(10).default(3),
  /** the secret path segment of our webhook URL: URL-safe, 32+ characters */
  OFFBLOCKS_WEBHOOK_SECRET: z
    .string()
    .regex(/^[A-Za-z0-9_-]{32,256}$/, "must be 32 to 256 URL-safe characters (letters, digits, - and _)")
    .optional(),
  UNBLOCK_BASE_URL: optionalUrl,
  UNBLOCK_API_KEY: z.string().min(1).default(SANDBOX_DEFAULTS.unblock.apiKey),
  /** the chain named in Unblock sign-in messages: Polygon Amoy in the sandbox */
  UNBLOCK_CHAIN_ID: z.coerce.number().int().positive().default(80002),
  UNBLOCK_TIMEOUT_MS: positiveInt.default(10_000),
  UNBLOCK_MAX_RETRIES: z.coerce.number().int().min(0).max(10).default(2),
  BLOQ_ACCOUNTS_URL: optionalUrl,
  BLOQ_STAKE_URL: optionalUrl,
  BLOQ_CONNECT_URL: optionalUrl,
  BLOQ_CLIENT_ID: z.string().min(1).default(SANDBOX_DEFAULTS.bloq.clientId),
  BLOQ_CLIENT_SECRET: z.string().min(1).default(SANDBOX_DEFAULTS.bloq.clientSecret),
  BLOQ_EMAIL: z.string().min(1).default(SANDBOX_DEFAULTS.bloq.email),
  BLOQ_PASSWORD: z.string().min(1).default(SANDBOX_DEFAULTS.bloq.password),
  BLOQ_TIMEOUT_MS: positiveInt.default(10_000),
  BLOQ_MAX_RETRIES: z.coerce.number().int().min(0).max(10).default(2),
  SESSION_PASSWORD: z.string().min(32, "must be at least 32 characters").optional(),
  APP_CHAIN_IDS: ChainIdList.default([300, 324]),
  CHAIN_RPC_URLS: RpcUrlMap.optional(),
  WALLETCONNECT_PROJECT_ID: z
    .string()
    .regex(/^[0-9a-fA-F]{32}$/, "must be the 32 hex characters of a WalletConnect (Reown) project id")
    .optional(),
  STAFF_ADDRESSES: AddressList.optional(),
  TRUST_PROXY: z.coerce.number().int().min(0).max(10).default(0),
  RATE_LIMITS: z
    .string()
    .optional()
    .transform((text, ctx) => {
      const limits = parseRateLimits(text);
      if (typeof limits === "string") {
        ctx.addIssue({ code: "custom", message: limits });
        return z.NEVER;
      }
      return limits;
    }),
});

/** Every variable the app reads (documented in .env.example and the README). */
export const CONFIG_VARIABLES = Object.keys(EnvSchema.shape);

/** Variables whose values are secrets: never logged, never sent to a browser. */
export const CONFIG_SECRETS = [
  "DATABASE_URL",
  "DATA_KEY",
  "OFFBLOCKS_API_SECRET",
  "OFFBLOCKS_SIGNING_KEY",
  "OFFBLOCKS_WEBHOOK_SECRET",
  "UNBLOCK_API_KEY",
  "BLOQ_CLIENT_SECRET",
  "BLOQ_PASSWORD",
  "SESSION_PASSWORD",
  "CHAIN_RPC_URLS",
] as const;

export interface Config {
  nodeEnv: "development" | "production" | "test";
  port: number;
  /** the address the app listens on; undefined: every interface */
  host: string | undefined;
  publicUrl: string;
  dataDir: string;
  databaseUrl: string | undefined;
  dataKey: string | undefined;
  logLevel: string;
  /** how often the providers' health is checked in the background (the page and /api/health read the last check) */
  healthIntervalSeconds: number;
  /** enabled: every provider is the built-in emulator (sandbox mode); start: at least one is and no SANDBOX_URL names a running one, so `npm start` runs it */
  sandbox: { enabled: boolean; start: boolean; port: number; url: string };
  offblocks: {
    baseUrl: string;
    apiKey: string;
    apiSecret: string;
    signingKeyPem: string | undefined;
    timeoutMs: number;
    maxRetries: number;
    /** the secret path segment of our webhook URL; generated into DATA_DIR in sandbox mode when unset (lib/webhooks/webhook-secret.ts) */
    webhookSecret?: string | undefined;
  };
  unblock: {
    baseUrl: string;
    /** sent as `Authorization: API-Key <key>` */
    apiKey: string;
    chainId: number;
    timeoutMs: number;
    maxRetries: number;
  };
  bloq: {
    /** Accounts: account login (HTTP Basic), client keys, client tokens */
    accountsUrl: string;
    /** Stake: the end user's nonce and wallet login */
    stakeUrl: string;
    /** Connect: the API a client token is used on (`/api/v1/status`) */
    connectUrl: string;
    clientId: string;
    clientSecret: string;
    /** the merchant's account login, used by the operator CLI to manage client keys */
    email: string;
    password: string;
    timeoutMs: number;
    maxRetries: number;
  };
  /** the iron-session password; generated into DATA_DIR in sandbox mode when unset (lib/auth/session-password.ts) */
  sessionPassword: string | undefined;
  chains: {
    /** the chains a wallet may sign in with */
    ids: number[];
    /** per chain, the RPC URL used to verify contract-wallet signatures (EIP-1271/6492); server-side only */
    rpcUrls: Record<number, string>;
  };
  /** WalletConnect (Reown) project id; unset: no WalletConnect in the wallet list */
  walletConnectProjectId: string | undefined;
  /** wallets whose sign-in gives staff rights */
  staffAddresses: Address[];
  /** how many proxies in front of the app append to X-Forwarded-For (0: the socket's address is the client) */
  trustProxy: number;
  rateLimits: RateLimits;
}

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ConfigError";
  }
}

/** Parses an environment (process.env by default); throws ConfigError with one line naming the variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const cleaned = Object.fromEntries(Object.entries(env).map(([k, v]) => [k, emptyAsUndefined(v)]));
  const parsed = EnvSchema.safeParse(cleaned);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const name = String(issue.path[0] ?? "environment");
    const shown = CONFIG_SECRETS.includes(name as (typeof CONFIG_SECRETS)[number]) ? "" : ` (got "${String(env[name])}")`;
    throw new ConfigError(`Invalid configuration: ${name} ${issue.message}${shown}`);
  }
  const e = parsed.data;
  // SANDBOX_URL: a sandbox already running (`npm run sandbox`), shared by several instances; none is started here
  const sandboxUrl = (e.SANDBOX_URL ?? `http://127.0.0.1:${e.SANDBOX_PORT}`).replace(/\/$/, "");
  const providerUrls = [e.OFFBLOCKS_BASE_URL, e.UNBLOCK_BASE_URL, e.BLOQ_ACCOUNTS_URL, e.BLOQ_STAKE_URL, e.BLOQ_CONNECT_URL];
  // sandbox mode (demo secrets generated, the sandbox wallet offered) only when no real provider is configured;
  // the sandbox server runs when any provider is left on it
  const sandboxEnabled = providerUrls.every((url) => !url);
  const sandboxStart = providerUrls.some((url) => !url) && !e.SANDBOX_URL;
  return {
    nodeEnv: e.NODE_ENV,
    port: e.PORT,
    host: e.HOST,
    publicUrl: (e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/$/, ""),
    dataDir: path.resolve(e.DATA_DIR),
    databaseUrl: e.DATABASE_URL,
    dataKey: e.DATA_KEY,
    logLevel: e.LOG_LEVEL,
    healthIntervalSeconds: e.HEALTH_INTERVAL_SECONDS,
    sandbox: { enabled: sandboxEnabled, start: sandboxStart, port: e.SANDBOX_PORT, url: sandboxUrl },
    offblocks: {
      baseUrl: (e.OFFBLOCKS_BASE_URL ?? `${sandboxUrl}${SANDBOX_PREFIX.offblocks}`).replace(/\/$/, ""),
      apiKey: e.OFFBLOCKS_API_KEY,
      apiSecret: e.OFFBLOCKS_API_SECRET,
      signingKeyPem: e.OFFBLOCKS_SIGNING_KEY,
      timeoutMs: e.OFFBLOCKS_TIMEOUT_MS,
      maxRetries: e.OFFBLOCKS_MAX_RETRIES,
      webhookSecret: e.OFFBLOCKS_WEBHOOK_SECRET,
    },
    unblock: {
      baseUrl: (e.UNBLOCK_BASE_URL ?? `${sandboxUrl}${SANDBOX_PREFIX.unblock}`).replace(/\/$/, ""),
      apiKey: e.UNBLOCK_API_KEY,
      chainId: e.UNBLOCK_CHAIN_ID,
      timeoutMs: e.UNBLOCK_TIMEOUT_MS,
      maxRetries: e.UNBLOCK_MAX_RETRIES,
    },
    bloq: {
      accountsUrl: (e.BLOQ_ACCOUNTS_URL ?? `${sandboxUrl}${SANDBOX_PREFIX.bloqAccounts}`).replace(/\/$/, ""),
      stakeUrl: (e.BLOQ_STAKE_URL ?? `${sandboxUrl}${SANDBOX_PREFIX.bloqStake}`).replace(/\/$/, ""),
      connectUrl: (e.BLOQ_CONNECT_URL ?? `${sandboxUrl}${SANDBOX_PREFIX.bloqConnect}`).replace(/\/$/, ""),
      clientId: e.BLOQ_CLIENT_ID,
      clientSecret: e.BLOQ_CLIENT_SECRET,
      email: e.BLOQ_EMAIL,
      password: e.BLOQ_PASSWORD,
      timeoutMs: e.BLOQ_TIMEOUT_MS,
      maxRetries: e.BLOQ_MAX_RETRIES,
    },
    sessionPassword: e.SESSION_PASSWORD,
    chains: { ids: e.APP_CHAIN_IDS, rpcUrls: e.CHAIN_RPC_URLS ?? {} },
    walletConnectProjectId: e.WALLETCONNECT_PROJECT_ID,
    staffAddresses: e.STAFF_ADDRESSES ?? [],
    trustProxy: e.TRUST_PROXY,
    rateLimits: e.RATE_LIMITS,
  };
}

let cached: Config | undefined;

/** The process's configuration, read once. */
export function config(): Config {
  cached ??= loadConfig();
  return cached;
}
