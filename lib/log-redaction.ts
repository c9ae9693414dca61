/**
 * Redacts secrets from what the framework writes to the console (our own logs go through lib/log.ts, which
 * redacts by key). Next.js logs request paths, e.g. "Request body exceeded 10MB for /api/webhooks/offblocks/…",
 * and that path carries the webhook secret: every console line has the webhook path's secret segment and the
 * value of every secret variable (CONFIG_SECRETS) replaced with [redacted]. Installed once per process from
 * instrumentation.ts.
 */
import { CONFIG_SECRETS } from "./config";

const INSTALLED = Symbol.for("wallet-onboarding.consoleRedaction");
const WEBHOOK_PATH = /(\/api\/webhooks\/[^/\s?#]+\/)[^/\s?#"']+?(?=[.,;:]?(?:[/\s?#"']|$))/g;

export function redactSecrets(text: string, secrets: readonly string[]): string {
  let out = text.replace(WEBHOOK_PATH, "$1[redacted]");
  for (const secret of secrets) out = out.split(secret).join("[redacted]");
  return out;
}

function secretValues(): string[] {
  return CONFIG_SECRETS.map((name) => process.env[name]).filter((value): value is string => typeof value === "string" && value.length >= 8);
}

export function installConsoleRedaction(): void {
  const state = globalThis as { [INSTALLED]?: boolean };
  if (state[INSTALLED]) return;
  state[INSTALLED] = true;
  const secrets = secretValues();
  for (const level of ["log", "info", "warn", "error", "debug"] as const) {
    const write = console[level].bind(console);
    console[level] = (...args: unknown[]) =>
      write(
        ...args.map((arg) =>
          typeof arg === "string" ? redactSecrets(arg, secrets) : arg instanceof Error ? redactSecrets(arg.stack ?? arg.message, secrets) : arg,
        ),
      );
  }
}
