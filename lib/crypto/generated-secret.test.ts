import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { readOrCreateSecretFile } from "./generated-secret";

let dataDir: string;
beforeEach(() => {
  dataDir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "generated-secret-")), "data");
});
afterEach(() => {
  fs.rmSync(path.dirname(dataDir), { recursive: true, force: true });
});

/** readOrCreateSecretFile in a process of its own (an instance starting): what it printed, or its error. */
function inProcess(): Promise<string> {
  const script = `
    import { readOrCreateSecretFile } from ${JSON.stringify(path.resolve(import.meta.dirname, "generated-secret.ts"))};
    process.stdout.write(readOrCreateSecretFile(${JSON.stringify(dataDir)}, "session-password"));
  `;
  const child = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], { stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((resolve) => child.on("exit", () => resolve(output)));
}

describe("readOrCreateSecretFile", () => {
  it("gives instances starting at once on one DATA_DIR the same secret, and leaves no draft behind", async () => {
    const values = await Promise.all(Array.from({ length: 6 }, inProcess));
    expect(values[0]).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(new Set(values)).toEqual(new Set([values[0]]));
    expect(fs.readdirSync(dataDir)).toEqual(["session-password"]);
    expect(fs.statSync(path.join(dataDir, "session-password")).mode & 0o777).toBe(0o600);
  });

  it("reads the secret it made, and refuses a file too short to be one", () => {
    const made = readOrCreateSecretFile(dataDir, "data-key");
    expect(readOrCreateSecretFile(dataDir, "data-key")).toBe(made);
    fs.writeFileSync(path.join(dataDir, "short"), "abc\n");
    expect(() => readOrCreateSecretFile(dataDir, "short")).toThrow(/fewer than 32 characters/);
  });
});
