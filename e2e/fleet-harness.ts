/**
 * A fleet for e2e/fleet.spec.ts and the soak (e2e/soak.ts): a fresh Postgres database on TEST_DATABASE_URL's server, the provider sandbox
 * in this process (so its served requests can be counted), app instances (`scripts/app-server.ts`, the build
 * `npm start` made) started at once on one DATA_DIR in sandbox mode, and nginx in front with the repository's
 * config (deploy/nginx/fleet.conf, ports rewritten to the free ones picked here).
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import { freePort } from "../scripts/free-port";
import os from "node:os";
import path from "node:path";
import { createTestPostgresDatabase } from "../lib/db/test-databases";
import { startSandbox, type SandboxHandle } from "../sandbox/server";
import { privateKeyToAccount } from "viem/accounts";
import { STAFF_TEST_PRIVATE_KEY } from "../testing/app-sign-in";

/** the fleet's per-client nonce limit per minute */
export const FLEET_NONCE_LIMIT = 40;
const NGINX_CONFIG = path.resolve("deploy/nginx/fleet.conf");

export interface Fleet {
  /** nginx's origin, the instances' PUBLIC_URL */
  url: string;
  /** each instance's own origin */
  instances: string[];
  /** the sandbox started in this process (undefined with `sandboxUrl`) */
  sandbox: SandboxHandle | undefined;
  sandboxUrl: string;
  /** the fleet's Postgres database (a fresh one, dropped at stop); undefined on PGlite */
  databaseUrl: string | undefined;
  /** the process ids of the running instances (for CPU accounting) */
  instancePids(): number[];
  /** SIGKILL instance `index`: no shutdown of any kind, as a crash or the OOM killer would */
  kill(index: number): Promise<void>;
  /** start instance `index` again on its port (after kill) and wait until it is healthy */
  restart(index: number): Promise<void>;
  stop(): Promise<void>;
}

export interface FleetOptions {
  /** RATE_LIMITS of every instance (default: a small nonce limit, FLEET_NONCE_LIMIT) */
  rateLimits?: string;
  /** how many served requests the sandbox keeps for counting (default its own bound) */
  requestLogCapacity?: number;
  /** a sandbox already running (its own process, say); default: one started in this process */
  sandboxUrl?: string;
  /** default postgres (a fresh database on TEST_DATABASE_URL's server); pglite: one instance on the embedded database */
  database?: "postgres" | "pglite";
  /** more environment for every instance (e.g. HEALTH_INTERVAL_SECONDS), over the harness's own settings */
  env?: Record<string, string>;
  /** each instance writes a V8 CPU profile (`--cpu-prof`) into this folder when it stops (the onboarding bench's --cpu-prof) */
  cpuProfileDir?: string;
}

/** Why the fleet cannot run here, in a sentence saying what to set or install; undefined when it can. */
export function fleetPrerequisiteMissing(): string | undefined {
  if (!process.env.TEST_DATABASE_URL) {
    return "The fleet (instances behind nginx) needs Postgres: set TEST_DATABASE_URL (e.g. TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test), as CI does.";
  }
  if (spawnSync("nginx", ["-v"]).error) return "The fleet (instances behind nginx) needs nginx on PATH: apt-get install -y nginx";
  return undefined;
}

/** deploy/nginx/fleet.conf with its listen port and upstream servers replaced. */
function nginxConfig(port: number, instancePorts: number[]): string {
  const config = fs.readFileSync(NGINX_CONFIG, "utf8");
  const servers = instancePorts.map((p) => `    server 127.0.0.1:${p};`).join("\n");
  const rewritten = config.replace(/listen 8080;/, `listen 127.0.0.1:${port};`).replace(/(?:^ {4}server 127\.0\.0\.1:300\d;\n)+/m, `${servers}\n`);
  if (rewritten.includes("8080") || rewritten.includes(":3001")) throw new Error("deploy/nginx/fleet.conf changed shape: update e2e/fleet-harness.ts");
  return rewritten;
}

async function waitForHealth(origin: string, process: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 180_000;
  for (;;) {
    if (process.exitCode !== null) throw new Error(`${origin} exited (${process.exitCode}):\n${output()}`);
    try {
      if ((await fetch(`${origin}/api/health`)).ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${origin} was not healthy within 60 s:\n${output()}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

interface Instance {
  origin: string;
  child: ChildProcess;
  output(): string;
}

/** SIGTERM, and resolves once the process has exited (at once when it already has). */
export function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once("exit", () => resolve());
    child.kill("SIGTERM");
  });
}

export async function startFleet(instanceCount: number, options: FleetOptions = {}): Promise<Fleet> {
  if (options.database === "pglite" && instanceCount !== 1) throw new Error("PGlite serves one instance: a fleet needs Postgres");
  const database = options.database === "pglite" ? undefined : await createTestPostgresDatabase();
  const sandbox = options.sandboxUrl
    ? undefined
    : await startSandbox({ port: 0, ...(options.requestLogCapacity ? { requestLogCapacity: options.requestLogCapacity } : {}) });
  const sandboxUrl = options.sandboxUrl ?? sandbox!.url;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "fleet-data-"));
  const nginxPrefix = fs.mkdtempSync(path.join(os.tmpdir(), "fleet-nginx-"));
  const ports = await Promise.all(Array.from({ length: instanceCount + 1 }, () => freePort()));
  const nginxPort = ports.pop()!;
  const url = `http://127.0.0.1:${nginxPort}`;
  const instances: (Instance | undefined)[] = [];
  let nginx: ChildProcess | undefined;

  const spawnInstance = (port: number): Instance => {
    // the instances' own database only: a DATABASE_URL of the caller's environment would turn PGlite into Postgres
    const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => name !== "DATABASE_URL"));
    const child = spawn(
      process.execPath,
      [...(options.cpuProfileDir ? ["--cpu-prof", `--cpu-prof-dir=${options.cpuProfileDir}`] : []), "--import", "tsx", "scripts/app-server.ts"],
      {
        env: {
          ...inherited,
          NODE_ENV: "production",
          NEXT_TELEMETRY_DISABLED: "1",
          PORT: String(port),
          ...(database ? { DATABASE_URL: database.url } : {}),
          SANDBOX_URL: sandboxUrl,
          PUBLIC_URL: url,
          TRUST_PROXY: "1",
          DATA_DIR: dataDir,
          LOG_LEVEL: "warn",
          STAFF_ADDRESSES: privateKeyToAccount(STAFF_TEST_PRIVATE_KEY).address,
          // a small nonce limit, so that spending it on two instances takes a moment (e2e/fleet.spec.ts)
          RATE_LIMITS: options.rateLimits ?? `nonce=${FLEET_NONCE_LIMIT}/60`,
          ...options.env,
        },
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let output = "";
    child.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
    return { origin: `http://127.0.0.1:${port}`, child, output: () => output };
  };

  const stop = async () => {
    await Promise.all([...instances.map((instance) => instance && stopProcess(instance.child)), nginx && stopProcess(nginx)]);
    await sandbox?.close();
    await database?.drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
    fs.rmSync(nginxPrefix, { recursive: true, force: true });
  };
  try {
    instances.push(...ports.map(spawnInstance));
    await Promise.all(instances.map((instance) => waitForHealth(instance!.origin, instance!.child, instance!.output)));

    const configFile = path.join(nginxPrefix, "fleet.conf");
    fs.writeFileSync(configFile, nginxConfig(nginxPort, ports));
    nginx = spawn("nginx", ["-c", configFile, "-p", `${nginxPrefix}/`, "-g", "daemon off;"], { stdio: ["ignore", "pipe", "pipe"] });
    let nginxOutput = "";
    nginx.stderr!.on("data", (chunk: Buffer) => (nginxOutput += chunk.toString()));
    await waitForHealth(url, nginx, () => nginxOutput);
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    url,
    instances: instances.map((instance) => instance!.origin),
    sandbox,
    sandboxUrl,
    databaseUrl: database?.url,
    instancePids: () => instances.flatMap((instance) => (instance?.child.pid ? [instance.child.pid] : [])),
    async kill(index) {
      const instance = instances[index];
      if (!instance) throw new Error(`no instance ${index} running`);
      instances[index] = undefined;
      if (instance.child.exitCode !== null || instance.child.signalCode !== null) return;
      await new Promise<void>((resolve) => {
        instance.child.once("exit", () => resolve());
        instance.child.kill("SIGKILL");
      });
    },
    async restart(index) {
      if (instances[index]) throw new Error(`instance ${index} is running`);
      const instance = spawnInstance(ports[index]!);
      instances[index] = instance;
      await waitForHealth(instance.origin, instance.child, instance.output);
    },
    stop,
  };
}
