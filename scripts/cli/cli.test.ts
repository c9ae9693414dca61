/**
 * The operator CLI as an operator runs it: the real entry point in a child process (tsx), its stdout,
 * stderr and exit code. The vector is the OffBlocks docs' own (shared/PROVIDERS.md).
 */
import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { hexToBytes } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Command } from "./command";
import { findCommand, main } from "./main";

const ROOT = path.resolve(import.meta.dirname, "../..");
const TSX = path.join(ROOT, "node_modules/.bin/tsx");
const CLI = path.join(ROOT, "scripts/cli.ts");

const ADDRESS = "0x43158f45b5EbD7b1179130130DF00393928C2691";
const MESSAGE = `api.sandbox.offblocks.xyz wants you to sign in with your Ethereum account:
${ADDRESS}

OffBlocks wants to verify ownership of your wallet. By connecting your wallet and using OffBlocks, you agree to our Terms of services and Privacy Policy

URI: https://api.sandbox.offblocks.xyz
Version: 1
Chain ID: 300
Nonce: 5ufoiEqDaFvmfo78
Issued At: 2024-01-17T18:21:53Z`;
const SIGNATURE = "0xd2472857a11a29b612fda39b3a381cc88a8e6d085333cb7e2536ea38e71664be5e88ada8f5de966eff4f7c9cf59429b9a24814d878e779db34b612d4091c26ba1c";
const VECTOR_CHECKS = ["--domain", "api.sandbox.offblocks.xyz", "--nonce", "5ufoiEqDaFvmfo78", "--at", "2024-01-17T18:30:00Z"];

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function cli(...args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(TSX, [CLI, ...args], { cwd: ROOT, timeout: 60_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === "number" ? error.code : -1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

/** exit 2: nothing on stdout, exactly one line on stderr, and no stack trace in it */
function expectUsageError(run: Run, mentions: RegExp): void {
  expect(run.code).toBe(2);
  expect(run.stdout).toBe("");
  const lines = run.stderr.trimEnd().split("\n");
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(mentions);
  expect(run.stderr).not.toMatch(/\n\s+at |Error:/);
}

let dir: string;
let messageFile: string;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "cli-test-"));
  messageFile = path.join(dir, "challenge.txt");
  // saved the way an editor saves it: with a final newline, which is not part of what was signed
  fs.writeFileSync(messageFile, `${MESSAGE}\n`);
});

afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

describe.concurrent("npm run cli -- siwe verify", { timeout: 90_000 }, () => {
  it("accepts the OffBlocks vector with its domain, nonce and a time inside its hour", async () => {
    const run = await cli("siwe", "verify", "--message", messageFile, "--signature", SIGNATURE, ...VECTOR_CHECKS);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({ valid: true, address: ADDRESS, chainId: 300, reason: null });
  });

  it("refuses another nonce with exit 1 and the reason", async () => {
    const run = await cli("siwe", "verify", "--message", messageFile, "--signature", SIGNATURE, "--nonce", "someOtherNonce12");
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout)).toEqual({ valid: false, address: ADDRESS, chainId: 300, reason: "nonce_mismatch" });
    expect(run.stderr.trim()).toMatch(/^not valid: .*nonce/);
  });

  it("refuses another domain, a time before issue, and a signature by someone else", async () => {
    const [domain, early, tampered] = await Promise.all([
      cli("siwe", "verify", "--message", messageFile, "--signature", SIGNATURE, "--domain", "localhost:3000"),
      cli("siwe", "verify", "--message", messageFile, "--signature", SIGNATURE, "--at", "2024-01-17T18:00:00Z"),
      cli("siwe", "verify", "--message", messageFile, "--signature", `${SIGNATURE.slice(0, 10)}00${SIGNATURE.slice(12)}`),
    ]);
    expect([domain.code, early.code, tampered.code]).toEqual([1, 1, 1]);
    expect(JSON.parse(domain.stdout)).toMatchObject({ valid: false, reason: "domain_mismatch" });
    expect(JSON.parse(early.stdout)).toMatchObject({ valid: false, reason: "issued_in_future" });
    expect(JSON.parse(tampered.stdout)).toMatchObject({ valid: false, reason: "bad_signature" });
  });

  it("answers a garbage signature with exit 2 and one line", async () => {
    expectUsageError(await cli("siwe", "verify", "--message", messageFile, "--signature", "0xnot-a-signature"), /--signature/);
  });

  it("answers a missing file, a bad date and an unknown flag with exit 2 and one line each", async () => {
    const [missing, date, flag, absent] = await Promise.all([
      cli("siwe", "verify", "--message", path.join(dir, "nope.txt"), "--signature", SIGNATURE),
      cli("siwe", "verify", "--message", messageFile, "--signature", SIGNATURE, "--at", "next tuesday"),
      cli("siwe", "verify", "--message", messageFile, "--signature", SIGNATURE, "--chain", "300"),
      cli("siwe", "verify", "--signature", SIGNATURE),
    ]);
    expectUsageError(missing, /nope\.txt.*no such file/);
    expectUsageError(date, /--at/);
    expectUsageError(flag, /unknown flag --chain/);
    expectUsageError(absent, /--message is required/);
  });
});

describe.concurrent("npm run cli -- signature base64", { timeout: 90_000 }, () => {
  it("prints the Base64 of the 65 raw bytes of the vector's signature", async () => {
    const run = await cli("signature", "base64", SIGNATURE);
    expect(run.code).toBe(0);
    const raw = Buffer.from(run.stdout.trim(), "base64");
    expect(raw).toHaveLength(65);
    expect(raw.equals(Buffer.from(hexToBytes(SIGNATURE)))).toBe(true);
  });

  it("answers bad hex with exit 2 and one line", async () => {
    expectUsageError(await cli("signature", "base64", SIGNATURE.slice(0, -2)), /130 hex digits/);
  });
});

describe.concurrent("npm run cli -- help", { timeout: 90_000 }, () => {
  it("prints the usage with every command, with no arguments and with help", async () => {
    const [none, help] = await Promise.all([cli(), cli("help")]);
    for (const run of [none, help]) {
      expect(run.code).toBe(0);
      expect(run.stdout).toContain("siwe verify --message <file> --signature <0xhex>");
      expect(run.stdout).toContain("signature base64 <0xhex>");
    }
  });

  it("answers an unknown command with exit 2 and one line", async () => {
    expectUsageError(await cli("frobnicate"), /unknown command "frobnicate"/);
  });
});

describe("dispatch (in process)", () => {
  const ran: string[] = [];
  const fake = (words: string[]): Command => ({
    path: words,
    synopsis: "",
    summary: words.join(" "),
    run: (args) => {
      ran.push(`${words.join(" ")}|${args.join(" ")}`);
      return Promise.resolve(0);
    },
  });
  const commands = [fake(["staff", "add"]), fake(["staff", "list"]), fake(["bloq", "client-keys", "create"]), fake(["bloq", "client-keys"])];
  const io = () => {
    const out: string[] = [];
    const err: string[] = [];
    return { out, err, io: { stdout: (l: string) => out.push(l), stderr: (l: string) => err.push(l), readStdin: () => Promise.resolve("") } };
  };

  it("picks the command with the longest matching words and passes the rest", async () => {
    expect(findCommand(["bloq", "client-keys", "create", "--x"], commands)?.path).toEqual(["bloq", "client-keys", "create"]);
    const { io: streams } = io();
    await expect(main(["staff", "add", "0xabc"], streams, commands)).resolves.toBe(0);
    await expect(main(["bloq", "client-keys", "create", "--name", "n"], streams, commands)).resolves.toBe(0);
    expect(ran).toEqual(["staff add|0xabc", "bloq client-keys create|--name n"]);
  });

  it("names the subcommands of a group called without one", async () => {
    const { err, io: streams } = io();
    await expect(main(["staff"], streams, commands)).resolves.toBe(2);
    expect(err).toEqual([expect.stringContaining("one of: add, list")]);
  });
});
