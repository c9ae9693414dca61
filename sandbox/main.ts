/**
 * `npm run sandbox`: the provider emulators alone, on SANDBOX_PORT (default 4010). Prints where they
 * listen and the default merchant credentials (not secrets: they only open this local sandbox).
 */
import { config, ConfigError } from "@/lib/config";
import { createLogger } from "@/lib/log";
import { SANDBOX_DEFAULTS } from "@/lib/sandbox-defaults";
import { startSandbox } from "./server";

async function main(): Promise<void> {
  const { sandbox, logLevel } = config();
  const logger = createLogger({ name: "sandbox", level: logLevel });
  const handle = await startSandbox({ port: sandbox.port, logger });
  process.stdout.write(
    [
      `Sandbox listening on ${handle.url}`,
      `  OffBlocks:  ${handle.offblocksUrl}`,
      `  Unblock:    ${handle.unblockUrl}`,
      `  Bloq:       ${handle.bloqAccountsUrl} (accounts), ${handle.bloqStakeUrl} (stake), ${handle.bloqConnectUrl} (connect)`,
      `  Controls:   ${handle.url}/_sandbox`,
      "Default OffBlocks merchant credentials (sandbox only):",
      `  OFFBLOCKS_API_KEY=${SANDBOX_DEFAULTS.offblocks.apiKey}`,
      `  OFFBLOCKS_API_SECRET=${SANDBOX_DEFAULTS.offblocks.apiSecret}`,
      "Default Unblock merchant key (sandbox only):",
      `  UNBLOCK_API_KEY=${SANDBOX_DEFAULTS.unblock.apiKey}`,
      "Default Bloq account and client key (sandbox only):",
      `  BLOQ_EMAIL=${SANDBOX_DEFAULTS.bloq.email}`,
      `  BLOQ_PASSWORD=${SANDBOX_DEFAULTS.bloq.password}`,
      `  BLOQ_CLIENT_ID=${SANDBOX_DEFAULTS.bloq.clientId}`,
      `  BLOQ_CLIENT_SECRET=${SANDBOX_DEFAULTS.bloq.clientSecret}`,
      "",
    ].join("\n"),
  );
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "sandbox stopping");
    handle.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

main().catch((error: unknown) => {
  const message =
    error instanceof ConfigError
      ? error.message
      : error instanceof Error && "code" in error && error.code === "EADDRINUSE"
        ? `Sandbox port is already in use (set SANDBOX_PORT to another port)`
        : `Sandbox failed to start: ${error instanceof Error ? error.message : String(error)}`;
  process.stderr.write(`${message}\n`);
  process.exit(1);
});
