/**
 * `npm start`: builds the app when there is no current build, applies the database migrations, starts the
 * provider sandbox (when no real provider is configured) and the app on PORT. Ctrl-C stops both.
 */
import { spawn, spawnSync } from "node:child_process";
import path from "node:path";
import { ConfigError, loadConfig, type Config } from "../lib/config";
import { buildIfNeeded } from "./start/build";

function readConfig(): Config {
  try {
    return loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
}

/** The migrations, in a child process (scripts/start/migrate.ts): the embedded database's memory leaves with it. */
function migrate(): void {
  const result = spawnSync(process.execPath, ["--import", "tsx", path.resolve("scripts/start/migrate.ts")], { stdio: "inherit", env: process.env });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

async function main(): Promise<void> {
  const cfg = readConfig();
  buildIfNeeded();
  migrate();

  let stopSandbox: (() => Promise<void>) | undefined;
  if (cfg.sandbox.start) {
    const { startSandbox } = await import("../sandbox/server");
    const sandbox = await startSandbox({ port: cfg.sandbox.port });
    stopSandbox = sandbox.close;
    console.log(`» Sandbox providers at ${sandbox.url} (OffBlocks: ${sandbox.offblocksUrl})`);
  }

  // scripts/app-server.ts: Next's handler behind our own server, which stamps each request's client address
  const app = spawn(process.execPath, ["--import", "tsx", path.resolve("scripts/app-server.ts")], {
    stdio: "inherit",
    env: { ...process.env, NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1" },
  });
  console.log(`» App starting at ${cfg.publicUrl}`);

  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    if (app.exitCode === null) app.kill("SIGTERM");
    await stopSandbox?.();
    console.log("» Stopped.");
    process.exit(code);
  };
  process.on("SIGINT", () => void stop(0));
  process.on("SIGTERM", () => void stop(0));
  app.on("exit", (code) => void stop(code ?? 0));
}

main().catch((error: unknown) => {
  console.error(`» Start failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
