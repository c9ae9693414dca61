/**
 * Failures the Sandbox wallet can meet, each with its own message and a way on: the session expires, the
 * OffBlocks message expires (sandbox clock), OffBlocks is down (sandbox faults). Failures that need a
 * wallet which refuses or switches (rejection, account or chain switch) are in the injected-wallet specs.
 */
import { expect, test } from "@playwright/test";
import { connectSandboxWallet, expectActive, expectStep, sandboxControl, shot, signIn, signOffblocksChallenge } from "./onboarding-steps";
import { uniqueClientAddress } from "./api-helpers";

test.afterEach(async ({ page }) => {
  await sandboxControl(page, "DELETE", "/faults");
});

test("an expired session sends the person back to sign in, and signing in again carries on", async ({ page }, testInfo) => {
  await page.goto("/");
  await connectSandboxWallet(page);
  await signIn(page);
  await page.context().clearCookies();

  await page.getByRole("button", { name: "Sign with your wallet" }).click();
  await expectStep(page, "signin");
  await expect(page.getByTestId("flow-notice")).toContainText("Your session has expired");
  await shot(page, testInfo, "session-expired");

  await signIn(page);
  await signOffblocksChallenge(page);
  await expectActive(page);
});

test("signing out in another tab: this tab goes back to sign-in at once and says so (not 'expired'), and signing in again carries on", async ({
  page,
}, testInfo) => {
  await page.goto("/");
  await connectSandboxWallet(page);
  await signIn(page);
  // another tab of the same browser, signed in by the same cookie, signs out
  const other = await page.context().newPage();
  await other.goto("/");
  await expectStep(other, "offblocks");
  await other.getByRole("button", { name: "Sign out" }).click();
  await expectStep(other, "signin");
  await other.close();

  await expectStep(page, "signin");
  await expect(page.getByTestId("flow-notice")).toContainText("You signed out in another tab");
  await shot(page, testInfo, "signed-out-elsewhere");

  await signIn(page);
  await signOffblocksChallenge(page);
  await expectActive(page);
});

test("an OffBlocks message that expired before it was signed is replaced, and the new one is signed", async ({ page }, testInfo) => {
  await page.goto("/");
  await connectSandboxWallet(page);
  await signIn(page);
  const first = await page.getByTestId("offblocks-challenge").textContent();

  // OffBlocks' challenges live one hour
  await sandboxControl(page, "POST", "/clock", { advanceSeconds: 3700 });
  await page.getByRole("button", { name: "Sign with your wallet" }).click();
  await expect(page.getByTestId("flow-notice")).toContainText("expired", { timeout: 20_000 });
  await expectStep(page, "offblocks");
  await expect(page.getByTestId("offblocks-challenge")).not.toHaveText(first ?? "");
  await shot(page, testInfo, "challenge-expired");

  await signOffblocksChallenge(page);
  await expectActive(page);
});

test("when OffBlocks is down the person is told so and a retry goes through once it is back", async ({ page }, testInfo) => {
  await page.goto("/");
  await connectSandboxWallet(page);
  await signIn(page);

  await sandboxControl(page, "POST", "/faults", { provider: "offblocks", path: "/customers", method: "POST", status: 503, rate: 1 });
  await page.getByRole("button", { name: "Sign with your wallet" }).click();
  const error = page.getByTestId("offblocks-error");
  await expect(error).toContainText("OffBlocks is not answering right now", { timeout: 45_000 });
  await expectStep(page, "offblocks");
  await shot(page, testInfo, "provider-down");

  await sandboxControl(page, "DELETE", "/faults");
  await error.getByRole("button", { name: "Try again" }).click();
  await expectStep(page, "status");
  await expectActive(page);
});

test("a network over the sign-in limit is told, in words, how long to wait", async ({ page, playwright, baseURL }, testInfo) => {
  // the e2e app trusts one proxy (playwright.config.ts): this browser's requests come from an address of their own
  const address = uniqueClientAddress();
  await page.context().setExtraHTTPHeaders({ "x-forwarded-for": address });
  await page.goto("/");
  await connectSandboxWallet(page);
  const neighbour = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { "x-forwarded-for": address } });
  while ((await neighbour.get("/api/auth/nonce")).status() !== 429);
  await neighbour.dispose();

  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page.getByTestId("signin-error")).toContainText(/Too many sign-in attempts from your network\. Please wait \d+ seconds and try again\./);
  await shot(page, testInfo, "sign-in-rate-limited");
});
