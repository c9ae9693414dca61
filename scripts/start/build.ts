/**
 * The production build `npm start` (and the soak, which starts app instances itself) runs from: built when
 * there is none or the sources changed since (build-stamp.ts); several starts at once on one checkout build
 * once (build-lock.ts).
 */
import { spawnSync } from "node:child_process";
import path from "node:path";
import { withBuildLock } from "./build-lock";
import { buildIsCurrent, sourceFingerprint, writeBuildStamp } from "./build-stamp";

const nextBin = path.resolve("node_modules/next/dist/bin/next");

export function buildIfNeeded(): void {
  if (buildIsCurrent()) return;
  // several instances started at once on one checkout: one builds, the others wait and use its build
  withBuildLock(() => !buildIsCurrent(), build);
}

function build(): void {
  const fingerprint = sourceFingerprint();
  console.log("» Building the app (first start or sources changed)…");
  const result = spawnSync(process.execPath, [nextBin, "build"], {
    stdio: "inherit",
    env: { ...process.env, NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1" },
  });
  if (result.status !== 0) {
    console.error("» The build failed; see the output above.");
    process.exit(result.status ?? 1);
  }
  writeBuildStamp(fingerprint);
}
