/**
 * `npm run bench:onboarding [-- --seconds 60 --concurrency 1,4,16 --setups pglite,postgres,postgres2 --modes signed,active --cpu-prof DIR --no-landing]`:
 * onboardings per second from outside, as API-level clients doing the browser's calls (e2e/api-journey.ts: nonce →
 * sign-in → start → sign the OffBlocks challenge → submit, and in mode `active` on until OffBlocks active), each
 * with a fresh wallet, on PGlite (one instance), Postgres with one instance and with two (a fresh database on
 * TEST_DATABASE_URL's server, default postgres://postgres@127.0.0.1:5432/test). The sandbox runs in its own
 * process so its CPU is its own. In the same run it microbenchmarks every cryptographic operation an onboarding
 * performs (./crypto-costs.ts, counted from a calibration run's requests) and prints, per cell: onboardings/s,
 * p50/p95 per call, CPU ms per onboarding of the app, the sandbox and Postgres, and the ratio to the crypto bound
 * of the machine's cores; the OffBlocks token requests of each run (target: one); and, last, the landing page's
 * time with every provider 10 s late (target: ≤ 100 ms; --no-landing skips it). Nothing here is a pass/fail
 * test: numbers to compare within one run.
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { onboardToActive, type Answer } from "../../e2e/api-journey";
import { fleetPrerequisiteMissing, startFleet, stopProcess, type Fleet } from "../../e2e/fleet-harness";
import { RATE_LIMITS_OUT_OF_REACH } from "../../lib/api/rate-limits";
import { uniqueClientAddress } from "../../testing/client-address";
import { freePort } from "../free-port";
import { buildIfNeeded } from "../start/build";
import { countOperations, measureCryptoCosts, RUNS_IN, type CryptoOperation, type ServedCount } from "./crypto-costs";

type Setup = "pglite" | "postgres" | "postgres2";
type Mode = "signed" | "active";
const CALIBRATION_ONBOARDINGS = 20;
const TICKS_PER_SECOND = 100; // Linux USER_HZ

/** CPU milliseconds (user + system) a process has used, from /proc. */
function cpuMs(pid: number, withExitedChildren = false): number {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
    const own = Number(fields[11]) + Number(fields[12]);
    const children = withExitedChildren ? Number(fields[13]) + Number(fields[14]) : 0;
    return ((own + children) * 1000) / TICKS_PER_SECOND;
  } catch {
    return 0;
  }
}

function postgresPids(): number[] {
  return fs
    .readdirSync("/proc")
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => {
      try {
        return fs.readFileSync(`/proc/${pid}/comm`, "utf8").trim() === "postgres";
      } catch {
        return false;
      }
    })
    .map(Number);
}

const sumCpu = (pids: number[]) => pids.reduce((total, pid) => total + cpuMs(pid), 0);
/**
 * Postgres's CPU: every server process's own, plus what the postmaster collected from backends that ended (a
 * connection closed during a cell takes its CPU with it otherwise). The processes are listed again at each reading.
 */
const postgresCpu = () => postgresPids().reduce((total, pid) => total + cpuMs(pid, true), 0);

async function startSandboxProcess(cpuProfileDir?: string): Promise<{ url: string; pid: number; stop(): Promise<void> }> {
  const port = await freePort();
  // a folder of its own: a name given with --cpu-prof-name would be the same for the loader's thread and overwritten
  const profile = cpuProfileDir ? ["--cpu-prof", `--cpu-prof-dir=${path.join(cpuProfileDir, "sandbox")}`] : [];
  const child: ChildProcess = spawn(process.execPath, [...profile, "--import", "tsx", "sandbox/main.ts"], {
    env: { ...process.env, SANDBOX_PORT: String(port), LOG_LEVEL: "warn" },
    stdio: ["ignore", "pipe", "inherit"],
  });
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on("data", (chunk: Buffer) => chunk.toString().includes("Sandbox listening") && resolve());
    child.once("exit", (code) => reject(new Error(`the sandbox exited (${code})`)));
  });
  return {
    url: `http://127.0.0.1:${port}`,
    pid: child.pid!,
    stop: () => stopProcess(child),
  };
}

function percentile(values: number[], p: number): number {
  if (!values.length) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** The route an answer was for, with ids taken out, e.g. `POST /api/onboarding/offblocks/sign`. */
const routeOf = (answer: Answer) => `${answer.method} ${answer.path}`;

interface CellResult {
  onboardings: number;
  seconds: number;
  answers: Answer[];
  /** CPU ms of the cell; `clients`: this process, the load generator (it signs and sends as the people do) */
  cpu: { app: number; sandbox: number; postgres: number; clients: number };
  failures: number;
}

async function runCell(fleet: Fleet, sandboxPid: number, options: { concurrency: number; seconds: number; mode: Mode; count?: number }): Promise<CellResult> {
  const answers: Answer[] = [];
  const pids = fleet.instancePids();
  const pgCpu = () => (fleet.databaseUrl ? postgresCpu() : 0);
  const before = { app: sumCpu(pids), sandbox: cpuMs(sandboxPid), postgres: pgCpu(), clients: process.cpuUsage() };
  const started = performance.now();
  const deadline = started + options.seconds * 1000;
  let onboardings = 0;
  let begun = 0;
  let failures = 0;
  const worker = async (index: number) => {
    const baseUrl = fleet.instances[index % fleet.instances.length]!;
    while (options.count === undefined ? performance.now() < deadline : begun < options.count) {
      begun++;
      try {
        await onboardToActive({
          baseUrl,
          publicUrl: fleet.url,
          until: options.mode === "signed" ? "signed" : "final",
          // each person from an address of its own, as real clients are (the rate limits count per client)
          clientAddress: uniqueClientAddress(),
          onAnswer: (answer) => answers.push(answer),
        });
        onboardings++;
      } catch {
        failures++;
      }
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, (_, index) => worker(index)));
  const seconds = (performance.now() - started) / 1000;
  const after = { app: sumCpu(pids), sandbox: cpuMs(sandboxPid), postgres: pgCpu(), clients: process.cpuUsage(before.clients) };
  return {
    onboardings,
    seconds,
    answers,
    failures,
    cpu: {
      app: after.app - before.app,
      sandbox: after.sandbox - before.sandbox,
      postgres: after.postgres - before.postgres,
      clients: (after.clients.user + after.clients.system) / 1000,
    },
  };
}

/**
 * Counts the OffBlocks token requests the sandbox serves while it runs (the target: one for the whole benchmark),
 * polling its request log (newest few thousand) often enough that none leaves it unseen.
 */
function countTokenRequests(sandboxUrl: string): { stop(): Promise<number> } {
  const seen = new Set<number>();
  const poll = async () => {
    const answer = await fetch(`${sandboxUrl}/_sandbox/requests?provider=offblocks&method=POST&path=/offblocks/v1/auth/token`);
    for (const item of ((await answer.json()) as { items: { seq: number; status: number }[] }).items) if (item.status < 300) seen.add(item.seq);
  };
  const timer = setInterval(() => void poll().catch(() => undefined), 1000);
  return {
    async stop() {
      clearInterval(timer);
      await poll();
      return seen.size;
    },
  };
}

async function offblocksRequests(sandboxUrl: string): Promise<ServedCount[]> {
  const { items } = (await (await fetch(`${sandboxUrl}/_sandbox/requests?provider=offblocks`)).json()) as { items: ServedCount[] };
  return items;
}

/** the latency fault of the landing measurement: every provider answers this late, longer than its timeout */
const SLOW_PROVIDER_MS = 10_000;
const LANDING_LOADS = 30;

/**
 * The landing page while every provider answers 10 s late (a sandbox latency fault on everything) and the app's
 * background health check (every second here) is waiting on them: how long until the whole page — the Connect
 * button in its HTML — has arrived, and the same for /api/health. The target: the page in ≤ 100 ms.
 */
async function measureLanding(): Promise<string> {
  const sandbox = await startSandboxProcess();
  const fleet = await startFleet(1, {
    database: "pglite",
    sandboxUrl: sandbox.url,
    rateLimits: RATE_LIMITS_OUT_OF_REACH,
    env: { HEALTH_INTERVAL_SECONDS: "1" },
  });
  try {
    for (const provider of ["offblocks", "unblock", "bloq"]) {
      const fault = await fetch(`${sandbox.url}/_sandbox/faults`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ provider, latencyMs: SLOW_PROVIDER_MS, rate: 1 }),
      });
      if (!fault.ok) throw new Error(`sandbox fault for ${provider}: ${fault.status}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 3_000)); // the background checks are now waiting on the providers
    const timed = async (path: string) => {
      const started = performance.now();
      // through nginx, at PUBLIC_URL: an instance's own address sends a page there (lib/api/canonical-host.ts)
      const response = await fetch(new URL(path, fleet.url));
      const body = await response.text();
      return { ms: performance.now() - started, ok: response.ok, body };
    };
    const page: number[] = [];
    const health: number[] = [];
    let withButton = 0;
    for (let i = 0; i < LANDING_LOADS; i++) {
      const loaded = await timed("/");
      page.push(loaded.ms);
      if (loaded.ok && loaded.body.includes("Connect wallet")) withButton++;
      health.push((await timed("/api/health")).ms);
    }
    const line = `landing   providers ${SLOW_PROVIDER_MS / 1000} s late: page (Connect button in the HTML ${withButton}/${LANDING_LOADS}) p50 ${percentile(page, 50).toFixed(0)} p95 ${percentile(page, 95).toFixed(0)} max ${Math.max(...page).toFixed(0)} ms; /api/health p50 ${percentile(health, 50).toFixed(0)} p95 ${percentile(health, 95).toFixed(0)} ms (target: page ≤ 100 ms)`;
    console.log(`  ${line}`);
    return line;
  } finally {
    await fleet.stop();
    await sandbox.stop();
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      seconds: { type: "string", default: "60" },
      concurrency: { type: "string", default: "1,4,16" },
      setups: { type: "string", default: "pglite,postgres,postgres2" },
      modes: { type: "string", default: "signed,active" },
      "cpu-prof": { type: "string" },
      "no-landing": { type: "boolean", default: false },
    },
  });
  const seconds = Number(values.seconds);
  const concurrencies = values.concurrency.split(",").map(Number);
  const setups = values.setups.split(",") as Setup[];
  const modes = values.modes.split(",") as Mode[];
  process.env.TEST_DATABASE_URL ??= "postgres://postgres@127.0.0.1:5432/test";
  // every setup runs behind the fleet harness's nginx (PGlite too): say what to install before building anything
  const missing = fleetPrerequisiteMissing();
  if (missing) throw new Error(missing);
  buildIfNeeded();
  const cores = os.availableParallelism();

  console.log("» Microbenchmarking the cryptography…");
  const costs = await measureCryptoCosts();
  for (const [name, ms] of Object.entries(costs))
    console.log(`  ${name.padEnd(18)} ${ms.toFixed(3)} ms  (${Math.round(1000 / ms)}/s, in ${RUNS_IN[name as CryptoOperation]})`);

  const rows: string[] = [];
  for (const setup of setups) {
    const profileDir = values["cpu-prof"] ? path.resolve(values["cpu-prof"], setup) : undefined;
    const sandbox = await startSandboxProcess(profileDir);
    const instances = setup === "postgres2" ? 2 : 1;
    console.log(`» ${setup}: ${instances} instance(s), sandbox pid ${sandbox.pid}`);
    const tokenRequests = countTokenRequests(sandbox.url);
    const fleet = await startFleet(instances, {
      database: setup === "pglite" ? "pglite" : "postgres",
      sandboxUrl: sandbox.url,
      rateLimits: RATE_LIMITS_OUT_OF_REACH,
      ...(profileDir ? { cpuProfileDir: profileDir } : {}),
    });
    try {
      for (const mode of modes) {
        // calibration: what one onboarding of this mode requests, and so which cryptography it costs
        const servedBefore = (await offblocksRequests(sandbox.url)).length;
        const calibration = await runCell(fleet, sandbox.pid, { concurrency: 4, seconds: 0, mode, count: CALIBRATION_ONBOARDINGS });
        const served = (await offblocksRequests(sandbox.url)).slice(servedBefore);
        const counts = countOperations(calibration.answers, served);
        const perOnboarding = Object.fromEntries(Object.entries(counts).map(([op, n]) => [op, n / CALIBRATION_ONBOARDINGS])) as Record<CryptoOperation, number>;
        const cryptoMs = Object.entries(perOnboarding).reduce((total, [op, n]) => total + n * costs[op as CryptoOperation], 0);
        const bound = (cores * 1000) / cryptoMs;
        console.log(
          `  ${mode}: per onboarding ${Object.entries(perOnboarding)
            .map(([op, n]) => `${op} ${n.toFixed(1)}`)
            .join(", ")} → ${cryptoMs.toFixed(1)} ms of crypto; bound for ${cores} cores ${bound.toFixed(0)}/s`,
        );
        for (const concurrency of concurrencies) {
          const cell = await runCell(fleet, sandbox.pid, { concurrency, seconds, mode });
          const rate = cell.onboardings / cell.seconds;
          const perCall = [...new Set(cell.answers.map(routeOf))].map((route) => {
            const ms = cell.answers.filter((a) => routeOf(a) === route).map((a) => a.ms);
            return `${route} p50 ${percentile(ms, 50).toFixed(0)} p95 ${percentile(ms, 95).toFixed(0)}`;
          });
          const cpu = (ms: number) => (cell.onboardings ? (ms / cell.onboardings).toFixed(0) : "-");
          const line = `${setup.padEnd(9)} ${mode.padEnd(6)} c=${String(concurrency).padEnd(3)} ${rate.toFixed(1).padStart(6)} /s  cpu ms/onboarding app ${cpu(cell.cpu.app)} sandbox ${cpu(cell.cpu.sandbox)} postgres ${fleet.databaseUrl ? cpu(cell.cpu.postgres) : "-"} clients ${cpu(cell.cpu.clients)}  bound ${bound.toFixed(0)}/s  ratio ${((100 * rate) / bound).toFixed(0)} %${cell.failures ? `  (${cell.failures} failed)` : ""}`;
          console.log(`  ${line}`);
          for (const call of perCall) console.log(`      ${call} ms`);
          rows.push(line);
        }
      }
    } finally {
      const tokens = await tokenRequests.stop().catch(() => Number.NaN);
      console.log(`  OffBlocks token requests during the ${setup} run: ${tokens}`);
      rows.push(`${setup.padEnd(9)} OffBlocks token requests: ${tokens} (target: 1)`);
      await fleet.stop();
      await sandbox.stop();
    }
  }
  if (!values["no-landing"]) {
    console.log("» The landing page with every provider 10 s late");
    rows.push(await measureLanding());
  }
  console.log("\n» Summary (one run, this machine; compare ratios within it)");
  for (const row of rows) console.log(`  ${row}`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});
