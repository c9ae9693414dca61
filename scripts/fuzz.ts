/**
 * `npm run fuzz -- --per-route 2000 [--url http://localhost:3000 --data-dir DIR] [--concurrency 8] [--seed N]`:
 * the long fuzz run (the bounded one is e2e/api-fuzz.spec.ts, same generator: testing/fuzz-requests.ts).
 * Without --url it starts its own app + sandbox (`npm start` on free ports, a fresh DATA_DIR, the test staff
 * key as staff, every rate limit out of reach so the requests reach the handlers). Prints requests and status counts per route, every failure (the first few per route), and
 * the throughput; exits 1 on any failure.
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import { freePort } from "./free-port";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { privateKeyToAccount } from "viem/accounts";
import { ALL_ROUTES, deploymentSecrets, describeFailure, fuzzRoute, type FuzzContext } from "../testing/fuzz-requests";
import { sessionCookie, stillSignedIn, STAFF_TEST_PRIVATE_KEY as STAFF_KEY } from "../testing/app-sign-in";
// a long run is about what the handlers answer, not the limiter's 429 (the bounded run keeps the defaults)
import { RATE_LIMITS_OUT_OF_REACH } from "../lib/api/rate-limits";

async function waitHealthy(url: string, app: ChildProcess): Promise<void> {
  const deadline = Date.now() + 600_000;
  while (Date.now() < deadline) {
    if (app.exitCode !== null) throw new Error("the app exited before it was ready");
    try {
      if ((await fetch(new URL("/api/health", url))).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
  throw new Error("the app did not become healthy");
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      "per-route": { type: "string", default: "200" },
      url: { type: "string" },
      "data-dir": { type: "string" },
      concurrency: { type: "string", default: "8" },
      seed: { type: "string" },
    },
  });
  const perRoute = Number(values["per-route"]);
  let baseUrl = values.url;
  let dataDir = values["data-dir"];
  let app: ChildProcess | undefined;
  if (!baseUrl) {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "onboarding-fuzz-"));
    const port = await freePort();
    baseUrl = `http://localhost:${port}`;
    app = spawn("npm", ["start"], {
      stdio: ["ignore", "ignore", "inherit"],
      detached: true,
      env: {
        ...process.env,
        PORT: String(port),
        SANDBOX_PORT: String(await freePort()),
        DATA_DIR: dataDir,
        LOG_LEVEL: "warn",
        RATE_LIMITS: RATE_LIMITS_OUT_OF_REACH,
        STAFF_ADDRESSES: privateKeyToAccount(STAFF_KEY).address,
      },
    });
    console.log(`» Starting the app at ${baseUrl} (DATA_DIR ${dataDir})…`);
    await waitHealthy(baseUrl, app);
  }
  const stop = () => {
    if (app?.pid) process.kill(-app.pid, "SIGTERM");
  };
  try {
    const read = (name: string) => (dataDir && fs.existsSync(path.join(dataDir, name)) ? fs.readFileSync(path.join(dataDir, name), "utf8").trim() : undefined);
    const context: FuzzContext = {
      baseUrl,
      cookie: await sessionCookie(baseUrl, STAFF_KEY).catch(() => undefined),
      webhookSecret: read("offblocks-webhook-secret"),
      adminToken: read("admin-token"),
      secrets: dataDir ? deploymentSecrets(dataDir) : [],
    };
    console.log(
      `» ${perRoute} requests per route, ${ALL_ROUTES.length} routes, ${context.cookie ? "with" : "without"} a staff session, ${context.secrets.length} secrets watched`,
    );
    const started = performance.now();
    let total = 0;
    let failed = 0;
    const statuses: Record<number, number> = {};
    for (const route of ALL_ROUTES) {
      if (context.cookie) context.cookie = await stillSignedIn(baseUrl, STAFF_KEY, context.cookie);
      const report = await fuzzRoute(route, context, {
        count: perRoute,
        concurrency: Number(values.concurrency),
        timeoutMs: 15_000,
        ...(values.seed ? { seed: Number(values.seed) } : {}),
      });
      total += report.requests;
      failed += report.failures.length;
      for (const [status, n] of Object.entries(report.statuses)) statuses[Number(status)] = (statuses[Number(status)] ?? 0) + n;
      const counts = Object.entries(report.statuses)
        .map(([s, n]) => `${s}×${n}`)
        .join(" ");
      console.log(`${report.failures.length ? "✗" : "✓"} ${route.pattern.padEnd(46)} ${String(report.requests).padStart(6)}  ${counts}`);
      for (const failure of report.failures.slice(0, 5)) console.log(`    ${describeFailure(failure)}`);
    }
    const seconds = (performance.now() - started) / 1000;
    console.log(`\n${total} requests in ${seconds.toFixed(1)} s (${Math.round(total / seconds)}/s), ${failed} failed`);
    console.log(
      `statuses: ${Object.entries(statuses)
        .map(([s, n]) => `${s}×${n}`)
        .join(" ")}`,
    );
    process.exitCode = failed ? 1 : 0;
  } finally {
    stop();
  }
}

main().catch((error: unknown) => {
  console.error(`» Fuzz failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
