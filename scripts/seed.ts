/**
 * Fills the database with realistic onboardings, steps and events (scripts/seed/generate.ts):
 *
 *   npm run seed -- --count 1000000 [--database-url postgres://…] [--reset | --append] [--batch 50000]
 *
 * The database is DATABASE_URL (or --database-url) when set, else PGlite in DATA_DIR/pglite. A database
 * that already has onboardings is refused unless --reset (delete every onboarding first) or --append.
 */
import path from "node:path";
import { openDatabase } from "../lib/db/client";
import { resetOnboardings, seedOnboardings, seedState } from "./seed/generate";

interface Args {
  count: number;
  databaseUrl?: string;
  reset: boolean;
  append: boolean;
  batch: number;
}

const USAGE = "usage: npm run seed -- --count <n> [--database-url <url>] [--reset | --append] [--batch <n>]";

function parseArgs(argv: string[]): Args {
  const args: Args = { count: 0, reset: false, append: false, batch: 50_000 };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = (argv[i] ?? "").split("=", 2);
    const value = () => inline ?? argv[++i] ?? "";
    const whole = (v: string, name: string) => {
      const n = Number(v.replace(/_/g, ""));
      if (!Number.isInteger(n) || n < 1) throw new Error(`${name} must be a positive whole number.\n${USAGE}`);
      return n;
    };
    if (flag === "--count") args.count = whole(value(), "--count");
    else if (flag === "--batch") args.batch = whole(value(), "--batch");
    else if (flag === "--database-url") args.databaseUrl = value();
    else if (flag === "--reset") args.reset = true;
    else if (flag === "--append") args.append = true;
    else throw new Error(`unknown argument ${argv[i]}\n${USAGE}`);
  }
  if (args.count < 1) throw new Error(USAGE);
  if (args.reset && args.append) throw new Error(`--reset and --append exclude each other.\n${USAGE}`);
  return args;
}

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  const url = args.databaseUrl ?? process.env.DATABASE_URL;
  const pgliteDir = path.join(path.resolve(process.env.DATA_DIR ?? ".data"), "pglite");
  const database = await openDatabase(url ? { postgresUrl: url } : { pgliteDir });
  try {
    const where = url ? url.replace(/\/\/[^@/]*@/, "//…@") : `PGlite in ${pgliteDir}`;
    const state = await seedState(database.db);
    if (state.onboardings > 0 && !args.reset && !args.append) {
      process.stderr.write(`${where} already has ${state.onboardings} onboardings: pass --reset to replace them or --append to add.\n`);
      return 1;
    }
    if (args.reset) await resetOnboardings(database.db);
    const start = args.reset ? 1 : state.nextSeq;
    const began = performance.now();
    process.stdout.write(`seeding ${args.count} onboardings into ${where}\n`);
    await seedOnboardings(database.db, {
      count: args.count,
      start,
      batchSize: args.batch,
      onProgress: (done, count) => process.stdout.write(`  ${done}/${count} (${((performance.now() - began) / 1000).toFixed(1)} s)\n`),
    });
    process.stdout.write(`done in ${((performance.now() - began) / 1000).toFixed(1)} s\n`);
    return 0;
  } finally {
    await database.close();
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 2;
  },
);
