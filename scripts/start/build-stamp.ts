/**
 * Whether the Next.js build in .next is the build of the sources on disk: a fingerprint of the paths,
 * sizes and modification times of everything that goes into the build, kept beside the build.
 */
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

const BUILD_INPUTS = [
  "app",
  "components",
  "lib",
  "public",
  "proxy.ts",
  "instrumentation.ts",
  "next.config.mjs",
  "tailwind.config.ts",
  "postcss.config.mjs",
  "tsconfig.json",
  "package-lock.json",
];
const STAMP_FILE = path.join(".next", "source-stamp");

function* files(entry: string): Generator<string> {
  if (!fs.existsSync(entry)) return;
  const stat = fs.statSync(entry);
  if (stat.isFile()) {
    if (!/\.test\.tsx?$/.test(entry)) yield entry;
    return;
  }
  for (const child of fs.readdirSync(entry).sort()) yield* files(path.join(entry, child));
}

export function sourceFingerprint(root = process.cwd()): string {
  const hash = createHash("sha256");
  for (const input of BUILD_INPUTS) {
    for (const file of files(path.join(root, input))) {
      const stat = fs.statSync(file);
      hash.update(`${path.relative(root, file)}:${stat.size}:${Math.trunc(stat.mtimeMs)}\n`);
    }
  }
  return hash.digest("hex");
}

export function buildIsCurrent(root = process.cwd()): boolean {
  const stampPath = path.join(root, STAMP_FILE);
  if (!fs.existsSync(path.join(root, ".next", "BUILD_ID")) || !fs.existsSync(stampPath)) return false;
  return fs.readFileSync(stampPath, "utf8").trim() === sourceFingerprint(root);
}

export function writeBuildStamp(fingerprint: string, root = process.cwd()): void {
  fs.writeFileSync(path.join(root, STAMP_FILE), `${fingerprint}\n`);
}
