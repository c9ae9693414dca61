/** The app's structured logger (pino). Secrets are redacted by key name wherever they appear. */
import pino, { type Logger } from "pino";

export const REDACTED_KEYS = [
  "apiSecret",
  "apiKey",
  "token",
  "accessToken",
  "refreshToken",
  "password",
  "secret",
  "authorization",
  "Authorization",
  "signature",
  "privateKey",
  "signingKeyPem",
  "databaseUrl",
  "dataKey",
  "unblock-session-id",
  "cookie",
] as const;

const redactPaths = REDACTED_KEYS.flatMap((key) => [key, `*.${key}`, `*.*.${key}`]);

export function createLogger(options: { level?: string; name?: string } = {}, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      name: options.name ?? "app",
      level: options.level ?? process.env.LOG_LEVEL ?? "info",
      redact: { paths: redactPaths, censor: "[redacted]" },
    },
    destination,
  );
}

let root: Logger | undefined;

export function logger(): Logger {
  root ??= createLogger();
  return root;
}
