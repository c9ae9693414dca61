/**
 * The one place the environment is read. Every variable is validated with zod and has a sandbox default,
 * so a fresh clone runs with no set-up; a bad value stops the start with one line naming the variable.
 * Secrets are marked in CONFIG_SECRETS so the logger can redact them.
 */
import path from "node:path";
import { z } from "zod";
import { SANDBOX_DEFAULTS, SANDBOX_PREFIX } from "./sandbox-defaults";

const port = z.coerce.number().int().min(0).max(65535);
const optionalUrl = z.string().url().optional();
const positiveInt = z.coerce.number().int().positive();
const emptyAsUndefined = (value: unknown) => (value === "" ? undefined : value);

const EnvSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  PORT: port.default(3000),
  SANDBOX_PORT: port.default(SANDBOX_DEFAULTS.port),
  PUBLIC_URL: optionalUrl,
  DATA_DIR: z.string().min(1).default(".data"),
  DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, "must be a postgres:// URL").optional(),
  DATA_KEY: z.string().min(32, "must be at least 32 characters").optional(),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  OFFBLOCKS_BASE_URL: optionalUrl,
  OFFBLOCKS_API_KEY: z.string().uuid("must be a UUID").default(SANDBOX_DEFAULTS.offblocks.apiKey),
  OFFBLOCKS_API_SECRET: z.string().min(1).default(SANDBOX_DEFAULTS.offblocks.apiSecret),
  OFFBLOCKS_SIGNING_KEY: z.string().includes("PRIVATE KEY", { message: "must be a PEM private key" }).optional(),
  OFFBLOCKS_TIMEOUT_MS: positiveInt.default(10_000),
  OFFBLOCKS_MAX_RETRIES: z.coerce.number().int().min(0).max(10).default(3),
});

/** Every variable the app reads (documented in .env.example and the README). */
export const CONFIG_VARIABLES = Object.keys(EnvSchema.shape);

/** Variables whose values are secrets: never logged, never sent to a browser. */
export const CONFIG_SECRETS = ["DATABASE_URL", "DATA_KEY", "OFFBLOCKS_API_SECRET", "OFFBLOCKS_SIGNING_KEY"] as const;

export interface Config {
  nodeEnv: "development" | "production" | "test";
  port: number;
  publicUrl: string;
  dataDir: string;
  databaseUrl: string | undefined;
  dataKey: string | undefined;
  logLevel: string;
  sandbox: { enabled: boolean; port: number; url: string };
  offblocks: {
    baseUrl: string;
    apiKey: string;
    apiSecret: string;
    signingKeyPem: string | undefined;
    timeoutMs: number;
    maxRetries: number;
  };
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
  const sandboxUrl = `http://127.0.0.1:${e.SANDBOX_PORT}`;
  const sandboxEnabled = !e.OFFBLOCKS_BASE_URL;
  return {
    nodeEnv: e.NODE_ENV,
    port: e.PORT,
    publicUrl: (e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/$/, ""),
    dataDir: path.resolve(e.DATA_DIR),
    databaseUrl: e.DATABASE_URL,
    dataKey: e.DATA_KEY,
    logLevel: e.LOG_LEVEL,
    sandbox: { enabled: sandboxEnabled, port: e.SANDBOX_PORT, url: sandboxUrl },
    offblocks: {
      baseUrl: (e.OFFBLOCKS_BASE_URL ?? `${sandboxUrl}${SANDBOX_PREFIX.offblocks}`).replace(/\/$/, ""),
      apiKey: e.OFFBLOCKS_API_KEY,
      apiSecret: e.OFFBLOCKS_API_SECRET,
      signingKeyPem: e.OFFBLOCKS_SIGNING_KEY,
      timeoutMs: e.OFFBLOCKS_TIMEOUT_MS,
      maxRetries: e.OFFBLOCKS_MAX_RETRIES,
    },
  };
}

let cached: Config | undefined;

/** The process's configuration, read once. */
export function config(): Config {
  cached ??= loadConfig();
  return cached;
}
