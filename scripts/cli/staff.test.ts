/**
 * `staff add|remove|list` as an operator runs them: the real CLI (tsx child process) on a PGlite data
 * directory of its own — refused with one line while another process holds that directory open and no app
 * can be gone through (the way through the running app is in e2e/staff-pages.spec.ts) — and on Postgres (DATABASE_URL) while another connection is open, when
 * TEST_DATABASE_URL is set.
 */
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "../../lib/db/client";
import { isStaffWallet } from "../../lib/staff/members";

const ROOT = path.resolve(import.meta.dirname, "../..");
const TSX = path.join(ROOT, "node_modules/.bin/tsx");
const CLI = path.join(ROOT, "scripts/cli.ts");

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function cli(args: string[], env: Record<string, string>): Promise<Run> {
  return new Promise((resolve) => {
    const base = { ...process.env };
    delete base.DATABASE_URL;
    delete base.STAFF_ADDRESSES;
    execFile(TSX, [CLI, ...args], { cwd: ROOT, timeout: 60_000, env: { ...base, LOG_LEVEL: "silent", ...env } }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === "number" ? error.code : -1) : 0, stdout, stderr });
    });
  });
}

function expectOneLineError(run: Run, code: number, mentions: RegExp): void {
  expect(run.code, run.stderr).toBe(code);
  expect(run.stdout).toBe("");
  const lines = run.stderr.trimEnd().split("\n");
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(mentions);
}

const newAddress = () => privateKeyToAccount(generatePrivateKey()).address;

describe("npm run cli -- staff (PGlite in DATA_DIR)", { timeout: 120_000 }, () => {
  let dataDir: string;
  const env = () => ({ DATA_DIR: dataDir });

  beforeAll(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "cli-staff-"));
  });
  afterAll(() => {
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it("adds, lists and removes a wallet; the app sees it as staff", async () => {
    const wallet = newAddress();
    const configured = newAddress();
    const added = await cli(["staff", "add", wallet.toLowerCase()], env());
    expect(added, added.stderr).toMatchObject({ code: 0, stdout: `added ${wallet}\n`, stderr: "" });
    expect(await cli(["staff", "add", wallet], env())).toMatchObject({ code: 0, stdout: `already staff ${wallet}\n` });

    const listed = await cli(["staff", "list"], { ...env(), STAFF_ADDRESSES: configured });
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(new RegExp(`^${configured}  config\n${wallet}  table \\d{4}-\\d{2}-\\d{2}T[\\d:.]+Z\n$`));

    const database = await openDatabase({ pgliteDir: path.join(dataDir, "pglite") });
    try {
      expect(await isStaffWallet(database.db, wallet, [])).toBe(true);
    } finally {
      await database.close();
    }

    expect(await cli(["staff", "remove", wallet], env())).toMatchObject({ code: 0, stdout: `removed ${wallet}\n` });
    expectOneLineError(await cli(["staff", "remove", wallet], env()), 1, /^error: staff remove: 0x[0-9a-fA-F]{40} is not in the staff table$/);
    expect(await cli(["staff", "list"], env())).toMatchObject({ code: 0, stdout: "" });
  });

  it("refuses unusable input with exit 2", async () => {
    expectOneLineError(await cli(["staff", "add"], env()), 2, /^error: staff add: an address is required/);
    expectOneLineError(await cli(["staff", "add", "0x1234"], env()), 2, /^error: staff add: "0x1234" is not a wallet address/);
    expectOneLineError(await cli(["staff", "add", newAddress(), newAddress()], env()), 2, /unexpected argument/);
    expectOneLineError(await cli(["staff", "list", "--all"], env()), 2, /unknown flag --all/);
  });

  it("with the data directory held by another process and no app to go through, stops with one line", async () => {
    const holder = await openDatabase({ pgliteDir: path.join(dataDir, "pglite") });
    try {
      // no admin-token in DATA_DIR: the holder is not an app that made one
      expectOneLineError(
        await cli(["staff", "add", newAddress()], env()),
        1,
        /^error: staff add: the database in .*pglite is in use by another process \(PGlite allows one process\), and .* has no admin-token to go through the app; stop the app first or use DATABASE_URL$/,
      );
      // a token, but nothing answers at PUBLIC_URL
      fs.writeFileSync(path.join(dataDir, "admin-token"), `${"t".repeat(43)}\n`, { mode: 0o600 });
      expectOneLineError(
        await cli(["staff", "list"], { ...env(), PUBLIC_URL: "http://127.0.0.1:9" }),
        1,
        /, and the app at http:\/\/127\.0\.0\.1:9 did not take the admin token; stop the app first or use DATABASE_URL$/,
      );
    } finally {
      fs.rmSync(path.join(dataDir, "admin-token"), { force: true });
      await holder.close();
    }
    expect((await cli(["staff", "list"], env())).code).toBe(0);
  });

  it("is not fooled by a postmaster.pid an app left behind when it stopped without closing the database", async () => {
    fs.writeFileSync(path.join(dataDir, "pglite", "postmaster.pid"), "-42\n/pglite/data\n");
    const wallet = newAddress();
    expect(await cli(["staff", "add", wallet], env())).toMatchObject({ code: 0, stdout: `added ${wallet}\n` });
  });
});

describe.skipIf(!process.env.TEST_DATABASE_URL)("npm run cli -- staff (Postgres, DATABASE_URL)", { timeout: 120_000 }, () => {
  const adminUrl = process.env.TEST_DATABASE_URL ?? "";
  const name = `t_cli_staff_${randomBytes(4).toString("hex")}`;
  let url: string;

  beforeAll(async () => {
    const { Client } = await import("pg");
    const admin = new Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const parsed = new URL(adminUrl);
    parsed.pathname = `/${name}`;
    url = parsed.toString();
  });
  afterAll(async () => {
    const { Client } = await import("pg");
    const admin = new Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  });

  it("works while the app's connection is open", async () => {
    const app = await openDatabase({ postgresUrl: url });
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "cli-staff-pg-"));
    try {
      const wallet = newAddress();
      const added = await cli(["staff", "add", wallet], { DATA_DIR: dataDir, DATABASE_URL: url });
      expect(added, added.stderr).toMatchObject({ code: 0, stdout: `added ${wallet}\n` });
      expect(await isStaffWallet(app.db, wallet, [])).toBe(true);
      expect(await cli(["staff", "remove", wallet], { DATA_DIR: dataDir, DATABASE_URL: url })).toMatchObject({ code: 0 });
      expect(await isStaffWallet(app.db, wallet, [])).toBe(false);
    } finally {
      await app.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
