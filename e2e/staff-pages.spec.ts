/**
 * The staff pages in the browser: a staff wallet signs in on /staff with its own wallet (the injected test
 * wallet holding the STAFF_ADDRESSES key); without a session every /staff page shows only the sign-in, and a
 * wallet that is not staff is refused on every page; the onboardings list filters and searches, takes a new
 * onboarding and a status change live (no reload), and the detail shows the timeline, growing live.
 * Users are driven over HTTP from the test process (their own cookie jars); specs that are not about the
 * sign-in give the browser a staff session the same way.
 */
import { execFile } from "node:child_process";
import path from "node:path";
import type { BrowserContext, Page } from "@playwright/test";
import type { PrivateKeyAccount } from "viem/accounts";
import { newWallet, originContext, signIn as signInOverHttp, STAFF_PRIVATE_KEY, staffWallet } from "./api-helpers";
import { expectNoSeriousViolations } from "./axe";
import { expect, test } from "./fixtures/injected-wallet";
import { connectSandboxWallet, expectActive, shot, signIn as signInUser, signOffblocksChallenge } from "./onboarding-steps";

const STAFF_PAGES = ["/staff", "/staff/onboardings", "/staff/providers", "/staff/sessions", "/staff/onboardings/00000000-0000-4000-8000-000000000000"];

interface Onboarding {
  id: string;
  steps: { offblocks: { status: string; customerId?: string; challenge?: { message: string } } };
}

/** The browser gets a session for `wallet`, signed in over HTTP. */
async function giveSession(browserContext: BrowserContext, baseURL: string, wallet: PrivateKeyAccount): Promise<void> {
  const http = await originContext(baseURL);
  await signInOverHttp(http, baseURL, wallet);
  await browserContext.addCookies((await http.storageState()).cookies);
  await http.dispose();
}

/** A new user signs in and starts onboarding over HTTP; `sign()` then signs the OffBlocks challenge. */
async function newUser(baseURL: string): Promise<{ address: string; onboarding: Onboarding; sign: () => Promise<Onboarding>; done: () => Promise<void> }> {
  const http = await originContext(baseURL);
  const wallet = newWallet();
  await signInOverHttp(http, baseURL, wallet);
  const started = await http.post("/api/onboarding", { data: {} });
  expect(started.status(), await started.text()).toBe(201);
  const onboarding = (await started.json()) as Onboarding;
  return {
    address: wallet.address,
    onboarding,
    async sign() {
      const signed = await http.post("/api/onboarding/offblocks/sign", {
        data: { signature: await wallet.signMessage({ message: onboarding.steps.offblocks.challenge!.message }) },
      });
      expect(signed.status(), await signed.text()).toBe(200);
      return (await signed.json()) as Onboarding;
    },
    done: () => http.dispose(),
  };
}

/** `npm run cli -- …` as the operator runs it, in the app's folder. */
function runCli(args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  const root = path.resolve(import.meta.dirname, "..");
  return new Promise((resolve) => {
    execFile(
      path.join(root, "node_modules/.bin/tsx"),
      [path.join(root, "scripts/cli.ts"), ...args],
      { cwd: root, timeout: 60_000, env: { ...process.env, LOG_LEVEL: "silent", ...env } },
      (error, stdout, stderr) => resolve({ code: error ? (typeof error.code === "number" ? error.code : -1) : 0, stdout, stderr }),
    );
  });
}

const rows = (page: Page) => page.getByTestId("onboarding-row");

test.describe("staff wallet", () => {
  test.use({ walletPrivateKey: STAFF_PRIVATE_KEY });

  test("without a session every staff page shows only the sign-in; the staff wallet signs in and sees the overview", async ({ page, wallet }, testInfo) => {
    expect(wallet.address).toBe(staffWallet.address);
    for (const path of STAFF_PAGES) {
      await page.goto(path);
      await expect(page.getByRole("heading", { level: 1, name: "Staff sign-in" })).toBeVisible();
      await expect(page.getByRole("navigation", { name: "Staff" })).toHaveCount(0);
      // the tab says what the page shows, not the page it stands in for
      await expect(page).toHaveTitle("Sign in · Staff");
    }
    await shot(page, testInfo, "staff-sign-in");
    await expectNoSeriousViolations(page, "staff sign-in");

    await page.goto("/staff");
    await page.getByRole("button", { name: "Connect wallet" }).click();
    const modal = page.getByRole("dialog");
    await expect(modal).toBeVisible({ timeout: 15_000 });
    await modal.getByRole("button", { name: /Test Wallet/ }).click();
    await expect(modal).toBeHidden({ timeout: 15_000 });
    await expect(page.getByTestId("wallet-summary")).toContainText(wallet.address.slice(0, 6));
    await page.getByRole("button", { name: "Sign in", exact: true }).click();

    await expect(page.getByRole("heading", { level: 1, name: "Overview" })).toBeVisible({ timeout: 15_000 });
    await expect(page).toHaveTitle("Overview · Staff");
    await expect(page.getByTestId("staff-signed-in-as")).toContainText(wallet.address.slice(0, 6));
    await expect(page.getByTestId("funnel")).toBeVisible();
    await expect(page.getByTestId("live-status")).toHaveAttribute("data-status", "live");
    expect(wallet.signed.at(-1)).toMatchObject({ method: "personal_sign", message: expect.stringContaining("wants you to sign in") });
    await shot(page, testInfo, "staff-overview");
    await expectNoSeriousViolations(page, "staff overview");

    // the session holds across the staff pages, and signing out shows the sign-in again
    await page.getByRole("navigation", { name: "Staff" }).getByRole("link", { name: "Onboardings" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Onboardings" })).toBeVisible();
    await page.getByRole("button", { name: "Sign out" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Staff sign-in" })).toBeVisible();
  });
});

test("a wallet that is not staff is refused on every staff page", async ({ page, wallet, baseURL }, testInfo) => {
  await page.goto("/staff");
  await page.getByRole("button", { name: "Connect wallet" }).click();
  const modal = page.getByRole("dialog");
  await modal.getByRole("button", { name: /Test Wallet/ }).click();
  await expect(modal).toBeHidden({ timeout: 15_000 });
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page.getByRole("heading", { level: 1, name: "This wallet is not on the staff list" })).toBeVisible({ timeout: 15_000 });
  await expect(page.getByTestId("staff-add-command")).toHaveText(`npm run cli -- staff add ${wallet.address}`);
  await expect(page.getByTestId("staff-refused").getByRole("button", { name: "Copy the command" })).toBeVisible();
  await expect(page).toHaveTitle("Not on the staff list · Staff");
  await shot(page, testInfo, "staff-refused");
  await expectNoSeriousViolations(page, "staff refused");
  for (const path of STAFF_PAGES) {
    await page.goto(path);
    await expect(page.getByTestId("staff-refused")).toBeVisible();
    await expect(page.getByRole("navigation", { name: "Staff" })).toHaveCount(0);
  }
  // and the data behind the pages is refused too
  const response = await page.request.get(`${baseURL}/api/staff/onboardings`);
  expect(response.status()).toBe(403);
});

test("the Sessions page lists who is signed in and signs a wallet out everywhere", async ({ page, context, baseURL }, testInfo) => {
  const user = newWallet();
  const phone = await originContext(baseURL!);
  const laptop = await originContext(baseURL!);
  await signInOverHttp(phone, baseURL!, user);
  await signInOverHttp(laptop, baseURL!, user);
  await giveSession(context, baseURL!, staffWallet);

  await page.goto("/staff/sessions");
  await expect(page.getByRole("heading", { level: 1, name: "Sessions" })).toBeVisible();
  await expect(page.getByRole("navigation", { name: "Staff" }).getByRole("link", { name: "Sessions" })).toHaveAttribute("aria-current", "page");
  await expect(page.getByTestId("session-row").filter({ hasText: "(this session)" })).toContainText("staff");
  await page.getByLabel("Wallet address").fill(user.address);
  await page.getByRole("button", { name: "Show", exact: true }).click();
  await expect(page.getByTestId("session-row")).toHaveCount(2);
  await shot(page, testInfo, "staff-sessions");
  await expectNoSeriousViolations(page, "staff sessions");

  await page.getByTestId("session-row").first().getByRole("button", { name: "Sign out everywhere" }).click();
  await expect(page.getByTestId("sessions-message")).toContainText("2 sessions");
  await expect(page.getByTestId("sessions-empty")).toBeVisible();
  expect(await (await phone.get("/api/auth/session")).json()).toEqual({ signedIn: false });
  expect(await (await laptop.get("/api/auth/session")).json()).toEqual({ signedIn: false });
  await shot(page, testInfo, "staff-sessions-ended");
  await phone.dispose();
  await laptop.dispose();
});

test("the onboardings list filters and searches, and takes new onboardings and changes live", async ({ page, context, baseURL }, testInfo) => {
  const alice = await newUser(baseURL!);
  const bob = await newUser(baseURL!);
  await giveSession(context, baseURL!, staffWallet);

  await page.goto("/staff/onboardings");
  await expect(page.getByRole("heading", { level: 1, name: "Onboardings" })).toBeVisible();
  await expect(rows(page).first()).toBeVisible();
  // newest first: bob above alice
  const order = await rows(page).evaluateAll((list) => list.map((row) => row.getAttribute("data-id")));
  expect(order.indexOf(bob.onboarding.id)).toBeLessThan(order.indexOf(alice.onboarding.id));

  // search by address (any case): only alice
  await page.getByRole("searchbox", { name: "Search" }).fill(alice.address.toLowerCase());
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(page).toHaveURL(/q=0x/);
  await expect(rows(page)).toHaveCount(1);
  await expect(rows(page).first()).toHaveAttribute("data-id", alice.onboarding.id);
  await expect(page.getByTestId("list-count")).toContainText("1 onboarding match");

  // a filter nobody matches, then cleared
  await page.getByRole("combobox", { name: "Status" }).selectOption("failed");
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(page.getByTestId("list-empty")).toContainText("No onboarding matches these filters.");
  await page.getByRole("button", { name: "Clear filters" }).click();
  await expect(page).toHaveURL(/\/staff\/onboardings$/);
  await expect(rows(page).filter({ has: page.locator(`[title="${bob.address}"]`) })).toHaveCount(1);

  // Back and Forward move between the filter states, without leaving the list
  await page.goBack();
  await expect(page).toHaveURL(/status=failed/);
  await expect(page.getByTestId("list-empty")).toBeVisible();
  await expect(page.getByRole("combobox", { name: "Status" })).toHaveValue("failed");
  await page.goBack();
  await expect(page).toHaveURL(/q=0x/);
  await expect(page).not.toHaveURL(/status=/);
  await expect(rows(page)).toHaveCount(1);
  await page.goForward();
  await page.goForward();
  await expect(page).toHaveURL(/\/staff\/onboardings$/);
  await expect(rows(page).filter({ has: page.locator(`[title="${bob.address}"]`) })).toHaveCount(1);

  // live: a user who starts now appears on top without a reload, marked new
  await expect(page.getByTestId("live-status")).toHaveAttribute("data-status", "live");
  const carol = await newUser(baseURL!);
  const carolRow = page.locator(`[data-testid="onboarding-row"][data-id="${carol.onboarding.id}"]`);
  await expect(carolRow).toBeVisible({ timeout: 10_000 });
  await expect(carolRow).toContainText("New");
  await expect(rows(page).first()).toHaveAttribute("data-id", carol.onboarding.id);
  await expect(carolRow.getByTestId("row-offblocks")).toHaveText("challenge issued");
  // …and her signature moves her row on, live — the columns stay where they are
  const columnWidths = () =>
    page
      .getByTestId("onboardings-table")
      .locator("th")
      .evaluateAll((cells) => cells.map((cell) => cell.getBoundingClientRect().width));
  const widthsBefore = await columnWidths();
  await carol.sign();
  await expect(carolRow.getByTestId("row-offblocks")).not.toHaveText("challenge issued", { timeout: 10_000 });
  expect(await columnWidths()).toEqual(widthsBefore);
  await shot(page, testInfo, "staff-onboardings-live");
  await expectNoSeriousViolations(page, "staff onboardings list");

  // a row that stops matching the filters is still updated in place (not left stale)
  await page.goto("/staff/onboardings?status=pending");
  await expect(page.getByTestId("live-status")).toHaveAttribute("data-status", "live");
  const dave = await newUser(baseURL!);
  const daveRow = page.locator(`[data-testid="onboarding-row"][data-id="${dave.onboarding.id}"]`);
  await expect(daveRow.getByTestId("row-status")).toHaveText("pending", { timeout: 10_000 });
  await dave.sign();
  await expect(daveRow.getByTestId("row-status")).toHaveText("verified", { timeout: 15_000 });
  await expect(daveRow.getByTestId("row-offblocks")).toHaveText("active");
  await dave.done();

  // the filters are in the address: a shared link opens the same view
  await page.goto(`/staff/onboardings?provider=offblocks&q=${carol.address}`);
  await expect(rows(page)).toHaveCount(1);
  await expect(page.getByRole("searchbox", { name: "Search" })).toHaveValue(carol.address);

  // the detail: the timeline
  await carolRow.getByRole("link").click();
  await expect(page).toHaveURL(new RegExp(`/staff/onboardings/${carol.onboarding.id}$`));
  await expect(page.getByRole("heading", { level: 1, name: "Onboarding" })).toBeVisible();
  await expect(page.getByTestId("detail-offblocks")).toContainText("customer");
  const timeline = page.getByTestId("timeline-event");
  await expect(timeline.first()).toContainText("started, pending");
  await expect(page.getByTestId("timeline")).toContainText("challenge issued → verified (signature accepted)");
  await shot(page, testInfo, "staff-onboarding-detail");
  await expectNoSeriousViolations(page, "staff onboarding detail");

  // …which grows live: bob signs while his detail is open
  await page.goto(`/staff/onboardings/${bob.onboarding.id}`);
  await expect(page.getByTestId("detail-offblocks")).toContainText("challenge issued");
  await expect(page.getByTestId("live-status")).toHaveAttribute("data-status", "live");
  const before = await timeline.count();
  await bob.sign();
  await expect(page.getByTestId("timeline")).toContainText("challenge issued → verified", { timeout: 10_000 });
  expect(await timeline.count()).toBeGreaterThan(before);
  await expect(page.getByTestId("detail-offblocks")).not.toContainText("challenge issued");

  // an unknown id says so
  await page.goto("/staff/onboardings/00000000-0000-4000-8000-000000000000");
  await expect(page.getByTestId("detail-missing")).toContainText("No onboarding has this id");

  await Promise.all([alice.done(), bob.done(), carol.done()]);
});

test("the README's way for a fresh machine: the Sandbox wallet is refused, `npm run cli -- staff add` while the app runs, check again, and a sandbox user's onboarding appears and advances live", async ({
  page,
  baseURL,
}, testInfo) => {
  test.setTimeout(120_000);
  await page.goto("/staff");
  await page.getByRole("button", { name: "Connect wallet" }).click();
  const modal = page.getByRole("dialog");
  await modal.getByRole("button", { name: /Sandbox wallet/ }).click();
  await expect(modal).toBeHidden({ timeout: 15_000 });
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  const refused = page.getByTestId("staff-refused");
  await expect(refused).toBeVisible({ timeout: 15_000 });
  const command = (await refused.locator("code").textContent()) ?? "";
  const address = /^npm run cli -- staff add (0x[0-9a-fA-F]{40})$/.exec(command)?.[1];
  expect(address, command).toBeDefined();

  // the operator runs the command the page shows, in the app's folder, while the app holds its database
  const run = await runCli(["staff", "add", address!], { DATA_DIR: process.env.E2E_DATA_DIR!, PUBLIC_URL: baseURL! });
  expect(run, run.stderr).toMatchObject({ code: 0, stdout: `added ${address}\n` });
  const listed = await runCli(["staff", "list"], { DATA_DIR: process.env.E2E_DATA_DIR!, PUBLIC_URL: baseURL! });
  expect(listed.stdout).toContain(`${address}  table `);

  await page.getByRole("button", { name: "Check again" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Overview" })).toBeVisible({ timeout: 15_000 });
  await page.getByRole("navigation", { name: "Staff" }).getByRole("link", { name: "Onboardings" }).click();
  await expect(page.getByTestId("live-status")).toHaveAttribute("data-status", "live");

  // a sandbox user (another browser) onboards: the row appears, then advances, with no reload here
  const userContext = await page.context().browser()!.newContext();
  const user = await userContext.newPage();
  await user.goto("/");
  await connectSandboxWallet(user);
  await signInUser(user);
  const userAddress = (await user.getByTestId("signed-in-as").locator("span").getAttribute("title")) ?? "";
  const row = rows(page).filter({ has: page.locator(`[title="${userAddress}"]`) });
  await expect(row).toBeVisible({ timeout: 10_000 });
  await expect(row.getByTestId("row-offblocks")).toHaveText("challenge issued");
  await signOffblocksChallenge(user);
  await expectActive(user);
  await expect(row.getByTestId("row-offblocks")).toHaveText("active", { timeout: 15_000 });
  await expect(row.getByTestId("row-status")).toHaveText("verified");
  await shot(page, testInfo, "staff-watches-live");
  await userContext.close();

  // and the command takes the wallet out again
  const removed = await runCli(["staff", "remove", address!], { DATA_DIR: process.env.E2E_DATA_DIR!, PUBLIC_URL: baseURL! });
  expect(removed, removed.stderr).toMatchObject({ code: 0, stdout: `removed ${address}\n` });
  // removing a staff member ends their sessions: the page is back at the sign-in, not merely refused
  await page.reload();
  await expect(page.getByRole("heading", { level: 1, name: "Staff sign-in" })).toBeVisible();
});

test.describe("on a 375 px wide phone", () => {
  test.use({ viewport: { width: 375, height: 740 } });

  test("the staff pages fit the width (the table scrolls inside its box)", async ({ page, context, baseURL }, testInfo) => {
    const user = await newUser(baseURL!);
    await giveSession(context, baseURL!, staffWallet);
    for (const [path, heading] of [
      ["/staff", "Overview"],
      ["/staff/onboardings", "Onboardings"],
      [`/staff/onboardings/${user.onboarding.id}`, "Onboarding"],
      ["/staff/providers", "Providers"],
    ] as const) {
      await page.goto(path);
      await expect(page.getByRole("heading", { level: 1, name: heading, exact: true })).toBeVisible();
      await expect(page.getByRole("status").filter({ hasText: /^Loading/ })).toHaveCount(0, { timeout: 15_000 });
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow, path).toBeLessThanOrEqual(0);
      await shot(page, testInfo, `staff-375${path.replace(/\//g, "-")}`);
    }
    await user.done();
  });
});
