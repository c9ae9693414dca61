/**
 * `npm run bundle-size [-- --url http://localhost:3000] [--path /] [--budget-kb 200]`: the initial JavaScript
 * of the onboarding page — the scripts a modern browser loads from the server-rendered HTML (every
 * `<script src>`, async or not, but not `nomodule`), each gzipped (level 9), printed as a table with the
 * total. Exits 1 when the total is over the budget (kB = 1000 bytes), 2 when it cannot measure.
 *
 * With `--url` it measures a running app. Without, it starts `npm start` (which builds when the build is not
 * current) on free ports with a throw-away data directory, measures, and stops it.
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import { freePort } from "./free-port";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { gzipSync } from "node:zlib";

export interface ScriptSize {
  src: string;
  bytes: number;
  gzipBytes: number;
}

/** The `src` of every script a module-supporting browser runs from this HTML, in document order, once each. */
export function initialScriptSources(html: string): string[] {
  const sources: string[] = [];
  for (const match of html.matchAll(/<script\b([^>]*)>/gi)) {
    const attributes = match[1] ?? "";
    if (/\bnomodule\b/i.test(attributes)) continue;
    const src = /\bsrc\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))/i.exec(attributes);
    const value = src?.[1] ?? src?.[2] ?? src?.[3];
    if (!value) continue;
    const decoded = value.replace(/&amp;/g, "&");
    if (!sources.includes(decoded)) sources.push(decoded);
  }
  return sources;
}

export async function measureScripts(pageUrl: string): Promise<ScriptSize[]> {
  const page = await fetch(pageUrl, { headers: { accept: "text/html" } });
  if (!page.ok) throw new Error(`GET ${pageUrl} answered ${page.status}`);
  const html = await page.text();
  const sizes: ScriptSize[] = [];
  for (const src of initialScriptSources(html)) {
    const url = new URL(src, pageUrl);
    const response = await fetch(url);
    if (!response.ok) throw new Error(`GET ${url.href} answered ${response.status}`);
    const body = Buffer.from(await response.arrayBuffer());
    sizes.push({ src: url.pathname + url.search, bytes: body.length, gzipBytes: gzipSync(body, { level: 9 }).length });
  }
  return sizes;
}

const kB = (bytes: number) => (bytes / 1000).toFixed(1);

export function formatTable(sizes: ScriptSize[], budgetBytes: number): string {
  const total = sizes.reduce((sum, s) => sum + s.gzipBytes, 0);
  const raw = sizes.reduce((sum, s) => sum + s.bytes, 0);
  const width = Math.max(6, ...sizes.map((s) => s.src.length));
  const row = (name: string, rawText: string, gzText: string) => `${name.padEnd(width)}  ${rawText.padStart(10)}  ${gzText.padStart(10)}`;
  return [
    row("script", "raw kB", "gzip kB"),
    row("-".repeat(width), "-".repeat(10), "-".repeat(10)),
    ...[...sizes].sort((a, b) => b.gzipBytes - a.gzipBytes).map((s) => row(s.src, kB(s.bytes), kB(s.gzipBytes))),
    row("-".repeat(width), "-".repeat(10), "-".repeat(10)),
    row(`total (${sizes.length} scripts)`, kB(raw), kB(total)),
    `budget ${kB(budgetBytes)} kB gzip: ${total <= budgetBytes ? "within" : `OVER by ${kB(total - budgetBytes)} kB`}`,
  ].join("\n");
}

async function waitForHealth(baseUrl: string, app: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (app.exitCode !== null) throw new Error(`npm start exited with ${app.exitCode}`);
    try {
      const response = await fetch(`${baseUrl}/api/health`);
      if (response.status < 500) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`the app did not answer at ${baseUrl} within ${timeoutMs / 1000} s`);
}

/** Starts `npm start` (build if needed, migrations, sandbox, app) on free ports; resolves to its base URL. */
async function startApp(): Promise<{ baseUrl: string; stop: () => Promise<void> }> {
  const port = await freePort();
  const sandboxPort = await freePort();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "bundle-size-"));
  const app = spawn(process.execPath, [path.resolve("node_modules/tsx/dist/cli.mjs"), "scripts/start.ts"], {
    stdio: ["ignore", "inherit", "inherit"],
    env: { ...process.env, PORT: String(port), SANDBOX_PORT: String(sandboxPort), DATA_DIR: dataDir, LOG_LEVEL: "warn" },
    detached: true,
  });
  const baseUrl = `http://localhost:${port}`;
  const stop = async () => {
    if (app.exitCode === null && app.pid) {
      const exited = new Promise((resolve) => app.once("exit", resolve));
      process.kill(-app.pid, "SIGTERM");
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5000))]);
    }
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    await waitForHealth(baseUrl, app, 600_000);
  } catch (error) {
    await stop();
    throw error;
  }
  return { baseUrl, stop };
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: { url: { type: "string" }, path: { type: "string", default: "/" }, "budget-kb": { type: "string", default: "200" } },
  });
  const budgetBytes = Number(values["budget-kb"]) * 1000;
  if (!Number.isFinite(budgetBytes) || budgetBytes <= 0) {
    console.error(`--budget-kb must be a positive number (got "${values["budget-kb"]}")`);
    return 2;
  }
  const started = values.url ? undefined : await startApp();
  const baseUrl = (values.url ?? started?.baseUrl ?? "").replace(/\/$/, "");
  try {
    const pageUrl = new URL(values.path ?? "/", `${baseUrl}/`).href;
    const sizes = await measureScripts(pageUrl);
    console.log(`\nInitial JavaScript of ${pageUrl} (gzip -9):\n`);
    console.log(formatTable(sizes, budgetBytes));
    const total = sizes.reduce((sum, s) => sum + s.gzipBytes, 0);
    return total <= budgetBytes ? 0 : 1;
  } finally {
    await started?.stop();
  }
}

const invokedDirectly = process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename);
if (invokedDirectly) {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(`bundle-size: ${error instanceof Error ? error.message : String(error)}`);
      process.exit(2);
    },
  );
}
