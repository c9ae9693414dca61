/**
 * Browser specs run against `npm start` (app + sandbox) on the ports scripts/test.ts picked, with a fresh
 * data directory, in Debian's Chromium (never a downloaded browser).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { defineConfig } from "@playwright/test";

const port = Number(process.env.E2E_PORT ?? 3100);
const sandboxPort = Number(process.env.E2E_SANDBOX_PORT ?? 4110);
// A fresh data directory per run (workers inherit it through the environment): no state from earlier runs.
process.env.E2E_DATA_DIR ??= fs.mkdtempSync(path.join(os.tmpdir(), "onboarding-e2e-"));
const dataDir = process.env.E2E_DATA_DIR;

export default defineConfig({
  testDir: "e2e",
  testMatch: "**/*.spec.ts",
  timeout: 60_000,
  fullyParallel: false,
  workers: 1,
  retries: 0,
  use: {
    baseURL: `http://localhost:${port}`,
    browserName: "chromium",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    },
    screenshot: "only-on-failure",
    trace: "off",
  },
  webServer: {
    command: "npm start",
    url: `http://localhost:${port}/api/health`,
    timeout: 300_000,
    reuseExistingServer: false,
    stdout: "pipe",
    // STAFF_ADDRESSES: the address of STAFF_PRIVATE_KEY in e2e/api-staff.spec.ts (a fixed test key)
    env: {
      PORT: String(port),
      SANDBOX_PORT: String(sandboxPort),
      DATA_DIR: dataDir,
      LOG_LEVEL: "warn",
      // the specs may act as the one proxy in front of the app (e2e/api-rate-limits.spec.ts names its clients)
      TRUST_PROXY: "1",
      STAFF_ADDRESSES: "0x69796a59B34A11c87081a03B3eCC3b4043d94E4D",
      // providers' health checked every 2 s in the background, so a spec can wait for a check after what it changed
      HEALTH_INTERVAL_SECONDS: "2",
    },
  },
});
