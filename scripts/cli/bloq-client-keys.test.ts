/**
 * `bloq client-keys create|list|delete` as an operator runs them: the real CLI (tsx child process) against
 * the Bloq emulator on port 0, its URLs passed through the environment like any deployment's.
 */
import { execFile } from "node:child_process";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSandbox, type SandboxHandle } from "../../sandbox/server";

const ROOT = path.resolve(import.meta.dirname, "../..");
const TSX = path.join(ROOT, "node_modules/.bin/tsx");
const CLI = path.join(ROOT, "scripts/cli.ts");

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

let sandbox: SandboxHandle;

function cli(args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      TSX,
      [CLI, ...args],
      {
        cwd: ROOT,
        timeout: 60_000,
        env: {
          ...process.env,
          BLOQ_ACCOUNTS_URL: sandbox.bloqAccountsUrl,
          BLOQ_STAKE_URL: sandbox.bloqStakeUrl,
          BLOQ_CONNECT_URL: sandbox.bloqConnectUrl,
          BLOQ_TIMEOUT_MS: "2000",
          ...env,
        },
      },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : -1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

function expectOneLineError(run: Run, code: number, mentions: RegExp): void {
  expect(run.code).toBe(code);
  expect(run.stdout).toBe("");
  const lines = run.stderr.trimEnd().split("\n");
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(mentions);
  expect(run.stderr).not.toMatch(/\n\s+at /);
}

describe("bloq client-keys (the real CLI against the Bloq emulator)", () => {
  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0, autoAdvanceMs: false });
  });
  afterAll(async () => {
    await sandbox?.close();
  });

  it("create prints the id and the secret once, with a warning; list shows ids and dates only; delete removes it", async () => {
    const created = await cli(["bloq", "client-keys", "create"]);
    expect(created.code).toBe(0);
    const id = /^BLOQ_CLIENT_ID=(\S+)$/m.exec(created.stdout)?.[1];
    const secret = /^BLOQ_CLIENT_SECRET=(\S+)$/m.exec(created.stdout)?.[1];
    expect(id).toBeTruthy();
    expect(secret).toMatch(/^[0-9a-f]{16,}$/);
    expect(created.stderr).toMatch(/only time .* shown.*BLOQ_CLIENT_SECRET/);

    const listed = await cli(["bloq", "client-keys", "list"]);
    expect(listed.code).toBe(0);
    expect(listed.stderr).toBe("");
    expect(listed.stdout).toMatch(new RegExp(`^${id}  \\d{4}-\\d{2}-\\d{2}T`, "m"));
    expect(listed.stdout).not.toContain(secret);

    const deleted = await cli(["bloq", "client-keys", "delete", id ?? ""]);
    expect(deleted.code).toBe(0);
    expect(deleted.stdout.trim()).toBe(`deleted ${id}`);
    expect((await cli(["bloq", "client-keys", "list"])).stdout).not.toContain(id);
  }, 60_000);

  it("Bloq refusing is one line and exit 1: an unknown key, a wrong password", async () => {
    expectOneLineError(
      await cli(["bloq", "client-keys", "delete", "no-such-key"]),
      1,
      /^error: bloq client-keys delete: .*no client key no-such-key.*bloq_client_key_not_found/,
    );
    expectOneLineError(await cli(["bloq", "client-keys", "list"], { BLOQ_PASSWORD: "wrong" }), 1, /BLOQ_EMAIL \/ BLOQ_PASSWORD.*bloq_account_refused/);
  }, 60_000);

  it("bad input is one line and exit 2", async () => {
    expectOneLineError(await cli(["bloq", "client-keys", "delete"]), 2, /the key id is required/);
    expectOneLineError(await cli(["bloq", "client-keys", "list", "extra"]), 2, /unexpected argument "extra"/);
    expectOneLineError(await cli(["bloq", "client-keys", "create", "--force"]), 2, /unknown flag --force/);
    expectOneLineError(await cli(["bloq", "client-keys", "delete", "a/b"]), 2, /not a client key id/);
    expectOneLineError(await cli(["bloq", "client-keys"]), 2, /bloq needs a subcommand|bloq has no subcommand/);
  }, 60_000);

  it("an unreachable Bloq is one line and exit 1", async () => {
    expectOneLineError(
      await cli(["bloq", "client-keys", "list"], { BLOQ_ACCOUNTS_URL: "http://127.0.0.1:9/bloq/accounts", BLOQ_TIMEOUT_MS: "500" }),
      1,
      /bloq_unavailable/,
    );
  }, 60_000);
});
