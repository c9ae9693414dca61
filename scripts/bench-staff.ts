/**
 * Benchmarks the staff list and metrics on Postgres and on PGlite at growing sizes:
 *
 *   npm run bench:staff [-- --postgres-url postgres://postgres@127.0.0.1:5432/test] [--postgres-sizes 10000,1000000]
 *                          [--pglite-sizes 10000,100000] [--only postgres|pglite] [--iterations 30] [--metrics-iterations 10]
 *
 * For Postgres it creates a scratch database next to the one in --postgres-url (default BENCH_POSTGRES_URL
 * or DATABASE_URL), for PGlite a scratch directory; seeds the smallest size, times the queries, grows the
 * data to the next size (appending), times again, and drops the scratch database at the end. Prints p50/p95
 * per query and size, the largest/smallest p95 ratio, and PASS/FAIL for the targets on Postgres (list p95
 * ≤ 50 ms, metrics p95 ≤ 200 ms, largest size ≤ 3× the smallest). Exits non-zero only on errors.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { openDatabase, type Database } from "../lib/db/client";
import { staffQueries, timeQueries, type Timing } from "./bench/staff";
import { seedOnboardings } from "./seed/generate";

interface Args {
  postgresUrl?: string;
  postgresSizes: number[];
  pgliteSizes: number[];
  only?: "postgres" | "pglite";
  iterations: number;
  metricsIterations: number;
}

const sizes = (value: string) =>
  value.split(",").map((s) => {
    const n = Number(s.replace(/_/g, "").replace(/k$/i, "000").replace(/m$/i, "000000"));
    if (!Number.isInteger(n) || n < 1) throw new Error(`bad size ${s}`);
    return n;
  });

function parseArgs(argv: string[]): Args {
  const args: Args = {
    postgresUrl: process.env.BENCH_POSTGRES_URL ?? process.env.DATABASE_URL,
    postgresSizes: [10_000, 1_000_000],
    pgliteSizes: [10_000, 100_000],
    iterations: 30,
    metricsIterations: 10,
  };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = (argv[i] ?? "").split("=", 2);
    const value = () => inline ?? argv[++i] ?? "";
    if (flag === "--postgres-url") args.postgresUrl = value();
    else if (flag === "--postgres-sizes") args.postgresSizes = sizes(value());
    else if (flag === "--pglite-sizes") args.pgliteSizes = sizes(value());
    else if (flag === "--iterations") args.iterations = sizes(value())[0] ?? 30;
    else if (flag === "--metrics-iterations") args.metricsIterations = sizes(value())[0] ?? 10;
    else if (flag === "--only") {
      const v = value();
      if (v !== "postgres" && v !== "pglite") throw new Error("--only takes postgres or pglite");
      args.only = v;
    } else throw new Error(`unknown argument ${argv[i]}`);
  }
  args.postgresSizes.sort((a, b) => a - b);
  args.pgliteSizes.sort((a, b) => a - b);
  return args;
}

const out = (line = "") => process.stdout.write(`${line}\n`);
const ms = (n: number) => (Number.isFinite(n) ? n.toFixed(n < 10 ? 2 : 1) : "—");
const human = (n: number) => (n >= 1_000_000 ? `${n / 1_000_000} M` : n >= 1000 ? `${n / 1000} k` : String(n));

interface Result {
  backend: "postgres" | "pglite";
  size: number;
  seedSeconds: number;
  timings: Timing[];
}

async function benchBackend(backend: "postgres" | "pglite", open: () => Promise<Database>, targetSizes: number[], args: Args): Promise<Result[]> {
  const results: Result[] = [];
  const database = await open();
  try {
    let seeded = 0;
    for (const size of targetSizes) {
      const began = performance.now();
      out(`[${backend}] seeding to ${human(size)} onboardings…`);
      await seedOnboardings(database.db, {
        count: size - seeded,
        start: seeded + 1,
        onProgress: (done, count) => {
          if (done === count || done % 200_000 === 0) out(`  ${seeded + done}/${size} (${((performance.now() - began) / 1000).toFixed(0)} s)`);
        },
      });
      const seedSeconds = (performance.now() - began) / 1000;
      seeded = size;
      out(`[${backend}] ${human(size)} seeded in ${seedSeconds.toFixed(1)} s; timing…`);
      const timings = await timeQueries(await staffQueries(database.db), {
        iterations: args.iterations,
        metricsIterations: args.metricsIterations,
        warmup: 3,
      });
      results.push({ backend, size, seedSeconds, timings });
      printTable([results[results.length - 1]!]);
    }
  } finally {
    await database.close();
  }
  return results;
}

function printTable(results: readonly Result[]): void {
  if (results.length === 0) return;
  const names = results[0]!.timings.map((t) => t.name);
  const width = Math.max(...names.map((n) => n.length));
  const header = results.map((r) => `${`${r.backend} ${human(r.size)}`.padStart(20)}`).join("");
  out();
  out(`${"query".padEnd(width)}${header}`);
  out(`${"".padEnd(width)}${results.map(() => "p50 / p95 ms".padStart(20)).join("")}`);
  for (const name of names) {
    const cells = results.map((r) => {
      const t = r.timings.find((x) => x.name === name);
      return (t ? `${ms(t.p50)} / ${ms(t.p95)}` : "—").padStart(20);
    });
    out(`${name.padEnd(width)}${cells.join("")}`);
  }
  out(`${"seeding (s)".padEnd(width)}${results.map((r) => r.seedSeconds.toFixed(1).padStart(20)).join("")}`);
  out();
}

function printVerdict(results: readonly Result[]): void {
  for (const backend of ["postgres", "pglite"] as const) {
    const mine = results.filter((r) => r.backend === backend);
    const small = mine[0];
    const large = mine[mine.length - 1];
    if (!small || !large || small === large) continue;
    out(`${backend}: ratio ${human(large.size)} / ${human(small.size)} (p50, p95; the target is on p95)`);
    for (const t of large.timings) {
      const base = small.timings.find((x) => x.name === t.name);
      const ratio = base ? t.p95 / base.p95 : Number.NaN;
      const ratio50 = base ? t.p50 / base.p50 : Number.NaN;
      const targets: string[] = [];
      if (backend === "postgres") {
        const limit = t.kind === "list" ? 50 : 200;
        targets.push(`p95 ≤ ${limit} ms: ${t.p95 <= limit ? "PASS" : "FAIL"}`);
        targets.push(`≤ 3×: ${ratio <= 3 ? "PASS" : "FAIL"}`);
      }
      out(`  ${t.name.padEnd(34)} ${ratio50.toFixed(2).padStart(7)}× ${ratio.toFixed(2).padStart(7)}×   ${targets.join("   ")}`);
    }
    out();
  }
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const results: Result[] = [];
  if (args.only !== "pglite") {
    if (!args.postgresUrl) throw new Error("Postgres: pass --postgres-url (or set BENCH_POSTGRES_URL / DATABASE_URL), or --only pglite");
    const admin = new URL(args.postgresUrl);
    const name = `bench_staff_${process.pid}`;
    const { Client } = await import("pg");
    const adminClient = new Client({ connectionString: admin.toString() });
    await adminClient.connect();
    await adminClient.query(`create database ${name}`);
    try {
      const url = new URL(admin.toString());
      url.pathname = `/${name}`;
      results.push(...(await benchBackend("postgres", () => openDatabase({ postgresUrl: url.toString() }), args.postgresSizes, args)));
    } finally {
      await adminClient.query(`drop database if exists ${name} with (force)`);
      await adminClient.end();
    }
  }
  if (args.only !== "postgres") {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-staff-pglite-"));
    try {
      results.push(...(await benchBackend("pglite", () => openDatabase({ pgliteDir: dir }), args.pgliteSizes, args)));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
  out("=== summary ===");
  printTable(results);
  printVerdict(results);
}

main().catch((error: unknown) => {
  process.stderr.write(`error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
