/**
 * One build at a time in a checkout: instances of a fleet started at once with `npm start` on one checkout
 * would otherwise each run `next build` into the same .next. The lock is a file made with `wx` holding the
 * builder's pid; the others wait for it to go, then find the build current. A lock left by a process that
 * died is taken over.
 */
import fs from "node:fs";
import path from "node:path";

const LOCK_FILE = ".next-build.lock";
const sleep = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

function holderIsAlive(file: string): boolean {
  const pid = Number(fs.readFileSync(file, "utf8").trim());
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Runs `build` holding the checkout's build lock; `stillNeeded` is asked again once the lock is ours. */
export function withBuildLock(stillNeeded: () => boolean, build: () => void, root = process.cwd()): void {
  const file = path.join(root, LOCK_FILE);
  let announced = false;
  for (;;) {
    try {
      fs.writeFileSync(file, `${process.pid}\n`, { flag: "wx" });
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    try {
      if (!holderIsAlive(file)) {
        fs.rmSync(file, { force: true });
        continue;
      }
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
      continue;
    }
    if (!announced) console.log("» Another start is building the app; waiting for it…");
    announced = true;
    sleep(500);
  }
  try {
    if (stillNeeded()) build();
  } finally {
    fs.rmSync(file, { force: true });
  }
}
