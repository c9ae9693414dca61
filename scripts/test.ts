/**
 * `npm test`: lint (with the layer rules), format (Prettier), typecheck, import cycles (dependency-cruiser), Vitest (unit + integration) and Playwright (browser specs in e2e/), in that
 * order, each run even when an earlier one fails. The last line counts the tests that passed and failed.
 * The browser specs need Debian's Chromium and, for e2e/fleet.spec.ts, nginx (and TEST_DATABASE_URL, which CI
 * sets): run as root, this installs a missing one with apt-get; otherwise it says what to install.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import { freePort } from "./free-port";
import path from "node:path";

const REPORTS = path.resolve(".test-reports");
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const NGINX = "/usr/sbin/nginx";
const bin = (name: string) => path.resolve("node_modules/.bin", name);

interface Step {
  name: string;
  ok: boolean;
  passed: number;
  failed: number;
  /** the failed tests' names, repeated in the summary (a long log's tail is often all a reader keeps) */
  failures?: string[];
}

type VitestReport = {
  numPassedTests?: number;
  numFailedTests?: number;
  testResults?: { name: string; assertionResults?: { fullName: string; status: string }[] }[];
};
type PlaywrightSuite = { title?: string; file?: string; specs?: { title: string; ok: boolean; file?: string; line?: number }[]; suites?: PlaywrightSuite[] };

function vitestFailures(report: VitestReport | undefined): string[] {
  return (report?.testResults ?? []).flatMap((file) =>
    (file.assertionResults ?? []).filter((a) => a.status === "failed").map((a) => `${path.relative(process.cwd(), file.name)} › ${a.fullName}`),
  );
}

function playwrightFailures(suites: PlaywrightSuite[] | undefined): string[] {
  return (suites ?? []).flatMap((suite) => [
    ...(suite.specs ?? []).filter((spec) => !spec.ok).map((spec) => `${spec.file ?? suite.file ?? ""}:${spec.line ?? ""} › ${spec.title}`),
    ...playwrightFailures(suite.suites),
  ]);
}
const steps: Step[] = [];

/** what dependency-cruiser reads: every source folder and the root modules Next loads */
const IMPORT_GRAPH = ["app", "components", "lib", "sandbox", "scripts", "e2e", "testing", "proxy.ts", "instrumentation.ts"];

function run(name: string, command: string, args: string[], env: Record<string, string> = {}): boolean {
  console.log(`\n━━ ${name} ━━`);
  const result = spawnSync(command, args, { stdio: "inherit", env: { ...process.env, ...env } });
  return result.status === 0;
}

function readJson(file: string): unknown {
  try {
    return JSON.parse(fs.readFileSync(file, "utf8"));
  } catch {
    return undefined;
  }
}

/** Whether `file` exists, after installing Debian's `pkg` for it when missing and root; else says what to install. */
function ensureInstalled(file: string, pkg: string, installable = true): boolean {
  if (!fs.existsSync(file) && installable && process.getuid?.() === 0) {
    run(`install ${pkg}`, "bash", ["-c", `apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq ${pkg}`]);
  }
  if (fs.existsSync(file)) return true;
  console.error(`\n━━ playwright ━━\n${pkg} is not installed at ${file}. Install Debian's package first: apt-get install -y ${pkg}`);
  return false;
}

function hasBrowserSpecs(): boolean {
  return fs.existsSync("e2e") && fs.readdirSync("e2e").some((f) => f.endsWith(".spec.ts"));
}

async function main(): Promise<void> {
  fs.rmSync(REPORTS, { recursive: true, force: true });
  fs.mkdirSync(REPORTS, { recursive: true });

  const lintOk = run("lint", bin("eslint"), [".", "--max-warnings=0"]);
  steps.push({ name: "lint", ok: lintOk, passed: 0, failed: lintOk ? 0 : 1 });
  const formatOk = run("format", bin("prettier"), ["--check", "."]);
  steps.push({ name: "format", ok: formatOk, passed: 0, failed: formatOk ? 0 : 1 });
  const typesOk = run("typecheck", bin("tsc"), ["--noEmit"]);
  steps.push({ name: "typecheck", ok: typesOk, passed: 0, failed: typesOk ? 0 : 1 });
  const importsOk = run("import cycles", bin("depcruise"), [...IMPORT_GRAPH, "--config", ".dependency-cruiser.cjs"]);
  steps.push({ name: "import cycles", ok: importsOk, passed: 0, failed: importsOk ? 0 : 1 });

  const vitestFile = path.join(REPORTS, "vitest.json");
  const vitestOk = run("vitest", bin("vitest"), ["run", "--reporter=default", "--reporter=json", `--outputFile.json=${vitestFile}`]);
  const vitest = readJson(vitestFile) as VitestReport | undefined;
  steps.push({
    name: "vitest",
    ok: vitestOk,
    passed: vitest?.numPassedTests ?? 0,
    failed: vitest?.numFailedTests ?? (vitestOk ? 0 : 1),
    failures: vitestFailures(vitest),
  });

  if (hasBrowserSpecs()) {
    const chromiumOk = ensureInstalled(CHROMIUM, "chromium", !process.env.CHROMIUM_PATH);
    const nginxOk = ensureInstalled(NGINX, "nginx");
    if (!chromiumOk || !nginxOk) {
      steps.push({ name: "playwright", ok: false, passed: 0, failed: 1 });
    } else {
      const playwrightFile = path.join(REPORTS, "playwright.json");
      const env = {
        E2E_PORT: String(await freePort()),
        E2E_SANDBOX_PORT: String(await freePort()),
        PLAYWRIGHT_JSON_OUTPUT_NAME: playwrightFile,
      };
      const ok = run("playwright", bin("playwright"), ["test", "--reporter=list,json"], env);
      const report = readJson(playwrightFile) as { stats?: { expected?: number; unexpected?: number; flaky?: number }; suites?: PlaywrightSuite[] } | undefined;
      const stats = report?.stats;
      steps.push({
        name: "playwright",
        ok,
        passed: (stats?.expected ?? 0) + (stats?.flaky ?? 0),
        failed: stats?.unexpected ?? (ok ? 0 : 1),
        failures: playwrightFailures(report?.suites),
      });
    }
  }

  console.log("\n━━ summary ━━");
  for (const step of steps) {
    console.log(`${step.ok ? "✓" : "✗"} ${step.name}${step.passed || step.failed ? `: ${step.passed} passed, ${step.failed} failed` : ""}`);
    for (const failure of step.failures ?? []) console.log(`    ✗ ${failure}`);
  }
  const passed = steps.reduce((n, s) => n + s.passed, 0);
  const failed = steps.reduce((n, s) => n + s.failed, 0);
  console.log(`Tests: ${passed} passed, ${failed} failed`);
  process.exit(steps.every((s) => s.ok) ? 0 : 1);
}

void main();
