/**
 * What the `staff …` commands share: the app's database from the configuration — Postgres when
 * DATABASE_URL is set (safe while the app runs), else PGlite in DATA_DIR/pglite. PGlite is single-process:
 * opening the data directory while `npm start` holds it would fail or corrupt it, so a PGlite directory
 * another process has open is refused with one line and exit 1. PGlite writes postmaster.pid while open
 * but the app does not always remove it when stopped, so on Linux the holder is confirmed by its open files
 * (/proc/<pid>/fd); where /proc is missing the pid file alone counts. The address argument is checked here too.
 */
import fs from "node:fs";
import path from "node:path";
import type { Address } from "viem";
import { config } from "../../lib/config";
import { openDatabase, type Db } from "../../lib/db/client";
import { staffAddress } from "../../lib/staff/members";
import { noPositionals, parseFlags, preview } from "./args";
import { EXIT, UsageError, type CliIo } from "./command";

/** The one address argument of `staff add|remove`. */
export function addressArgument(args: readonly string[], name: string): Address {
  const { positionals } = parseFlags(args, {}, name);
  const [value, ...rest] = positionals;
  if (value === undefined) throw new UsageError(`${name}: an address is required, e.g. 0x…(40 hex digits)`);
  noPositionals(rest, name);
  const address = staffAddress(value);
  if (!address) throw new UsageError(`${name}: ${preview(value)} is not a wallet address (0x followed by 40 hex digits)`);
  return address;
}

/** The ids of other processes with a file open inside `dir`; undefined when /proc cannot tell. */
export function processesWithFilesIn(dir: string): number[] | undefined {
  let pids: string[];
  try {
    pids = fs.readdirSync("/proc").filter((name) => /^\d+$/.test(name));
  } catch {
    return undefined;
  }
  if (pids.length === 0) return undefined;
  const root = `${fs.realpathSync(dir)}${path.sep}`;
  const holders: number[] = [];
  for (const pid of pids) {
    if (Number(pid) === process.pid) continue;
    let fds: string[];
    try {
      fds = fs.readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue; // gone, or another user's
    }
    for (const fd of fds) {
      let target: string;
      try {
        target = fs.readlinkSync(`/proc/${pid}/fd/${fd}`);
      } catch {
        continue;
      }
      if (target.startsWith(root)) {
        holders.push(Number(pid));
        break;
      }
    }
  }
  return holders;
}

/** Whether another process (the running app) has the PGlite directory open. */
export function pgliteInUse(dir: string): boolean {
  if (!fs.existsSync(path.join(dir, "postmaster.pid"))) return false;
  const holders = processesWithFilesIn(dir);
  return holders === undefined || holders.length > 0;
}

/** Runs `work` on the app's database, closing it after; a PGlite directory in use is one line and exit 1. */
export async function withStaffDatabase(name: string, io: CliIo, work: (db: Db) => Promise<number>): Promise<number> {
  const { databaseUrl, dataDir } = config();
  const pgliteDir = path.join(dataDir, "pglite");
  if (!databaseUrl && pgliteInUse(pgliteDir)) {
    io.stderr(
      `error: ${name}: the database in ${pgliteDir} is in use by the running app (PGlite allows one process); stop the app first or use DATABASE_URL`,
    );
    return EXIT.negative;
  }
  const database = await openDatabase(databaseUrl ? { postgresUrl: databaseUrl } : { pgliteDir });
  try {
    return await work(database.db);
  } finally {
    await database.close();
  }
}
