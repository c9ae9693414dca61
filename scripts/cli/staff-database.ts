/**
 * What the `staff …` commands share: the app's database from the configuration — Postgres when
 * DATABASE_URL is set (safe while the app runs), else PGlite in DATA_DIR/pglite. PGlite is single-process:
 * opening the data directory while `npm start` holds it would fail or corrupt it, so while another process
 * has it open the commands go through the running app instead (/api/admin/staff with DATA_DIR/admin-token),
 * and when that is not possible they stop with one line and exit 1. PGlite writes postmaster.pid while open
 * but the app does not always remove it when stopped, so on Linux the holder is confirmed by its open files
 * (/proc/<pid>/fd); where /proc is missing the pid file alone counts. The address argument is checked here too.
 */
import fs from "node:fs";
import path from "node:path";
import type { Address } from "viem";
import { config } from "../../lib/config";
import { openDatabase, type Db } from "../../lib/db/client";
import { readAdminToken } from "../../lib/staff/admin-token";
import { addStaff, listStaff, removeStaff, staffAddress, type StaffMember } from "../../lib/staff/members";
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

/** What the `staff …` commands do, on the database itself or through the running app. */
export interface StaffStore {
  /** false when the wallet was already in the table */
  add(address: Address): Promise<boolean>;
  /** false when the wallet was not in the table */
  remove(address: Address): Promise<boolean>;
  /** STAFF_ADDRESSES (as the app or this process reads it) and the table */
  list(): Promise<{ configured: readonly Address[]; table: StaffMember[] }>;
}

function databaseStore(db: Db): StaffStore {
  return {
    add: (address) => addStaff(db, address),
    remove: (address) => removeStaff(db, address),
    list: async () => ({ configured: config().staffAddresses, table: await listStaff(db) }),
  };
}

class AppUnreachable extends Error {}

/** The running app's /api/admin/staff, authenticated with DATA_DIR/admin-token. */
function appStore(publicUrl: string, token: string): StaffStore {
  const call = async (method: "GET" | "POST" | "DELETE", body?: unknown): Promise<{ status: number; json: Record<string, unknown> }> => {
    let response: Response;
    try {
      response = await fetch(new URL("/api/admin/staff", publicUrl), {
        method,
        headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(10_000),
      });
    } catch {
      throw new AppUnreachable();
    }
    const json = ((await response.json().catch(() => ({}))) ?? {}) as Record<string, unknown>;
    if (response.status >= 500 || response.status === 401) throw new AppUnreachable();
    return { status: response.status, json };
  };
  return {
    add: async (address) => (await call("POST", { address })).status === 201,
    remove: async (address) => (await call("DELETE", { address })).status === 200,
    async list() {
      const { json } = await call("GET");
      const configured = (Array.isArray(json.configured) ? json.configured : []).map((a) => staffAddress(String(a))).filter((a) => a !== undefined);
      const table = (Array.isArray(json.table) ? (json.table as { address?: unknown; addedAt?: unknown }[]) : []).flatMap((row) => {
        const address = staffAddress(String(row.address));
        return address ? [{ address, addedAt: new Date(String(row.addedAt)) }] : [];
      });
      return { configured, table };
    },
  };
}

/**
 * Runs `work` on the staff wallets: on the app's database, closed after — or, when the running app holds
 * the PGlite directory, through that app with the administration token it keeps in DATA_DIR. When neither
 * works: one line and exit 1.
 */
export async function withStaffStore(name: string, io: CliIo, work: (store: StaffStore) => Promise<number>): Promise<number> {
  const { databaseUrl, dataDir, publicUrl } = config();
  const pgliteDir = path.join(dataDir, "pglite");
  if (!databaseUrl && pgliteInUse(pgliteDir)) {
    const token = readAdminToken(dataDir);
    const inUse = `error: ${name}: the database in ${pgliteDir} is in use by another process (PGlite allows one process)`;
    if (!token) {
      io.stderr(`${inUse}, and ${dataDir} has no admin-token to go through the app; stop the app first or use DATABASE_URL`);
      return EXIT.negative;
    }
    try {
      return await work(appStore(publicUrl, token));
    } catch (error) {
      if (!(error instanceof AppUnreachable)) throw error;
      io.stderr(`${inUse}, and the app at ${publicUrl} did not take the admin token; stop the app first or use DATABASE_URL`);
      return EXIT.negative;
    }
  }
  const database = await openDatabase(databaseUrl ? { postgresUrl: databaseUrl } : { pgliteDir });
  try {
    return await work(databaseStore(database.db));
  } finally {
    await database.close();
  }
}
