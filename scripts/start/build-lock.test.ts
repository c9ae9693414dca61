import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { withBuildLock } from "./build-lock";

let root: string;
beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), "build-lock-"));
});
afterEach(() => {
  fs.rmSync(root, { recursive: true, force: true });
});

/** A start in its own process: builds (appends its pid to `builds`, taking a while) unless `builds` exists. */
function startInProcess(): Promise<number | null> {
  const script = `
    import fs from "node:fs";
    import { withBuildLock } from ${JSON.stringify(path.resolve(import.meta.dirname, "build-lock.ts"))};
    const builds = ${JSON.stringify(path.join(root, "builds"))};
    withBuildLock(() => !fs.existsSync(builds), () => {
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 300);
      fs.appendFileSync(builds, process.pid + "\\n");
    }, ${JSON.stringify(root)});
  `;
  const child = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], { stdio: "inherit" });
  return new Promise((resolve) => child.on("exit", resolve));
}

describe("withBuildLock", () => {
  it("lets one of three starts build at once; the others wait and find the build done", async () => {
    expect(await Promise.all([startInProcess(), startInProcess(), startInProcess()])).toEqual([0, 0, 0]);
    expect(fs.readFileSync(path.join(root, "builds"), "utf8").trim().split("\n")).toHaveLength(1);
    expect(fs.existsSync(path.join(root, ".next-build.lock"))).toBe(false);
  });

  it("takes over a lock left by a process that died", () => {
    fs.writeFileSync(path.join(root, ".next-build.lock"), "999999999\n");
    let built = 0;
    withBuildLock(
      () => true,
      () => built++,
      root,
    );
    expect(built).toBe(1);
    expect(fs.existsSync(path.join(root, ".next-build.lock"))).toBe(false);
  });
});
