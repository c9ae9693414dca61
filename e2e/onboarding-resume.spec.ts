/**
 * Reloading the page resumes where the person was: GET /api/auth/session and GET /api/onboarding decide
 * the step, and the wallet layer comes back only when a signature is still needed.
 */
import { expect, test } from "@playwright/test";
import { connectSandboxWallet, expectActive, expectStep, shot, signIn, signOffblocksChallenge, stepHeading, walletLayerLoaded } from "./onboarding-steps";

test("a first visit does not load the wallet layer until the person goes for the connect button", async ({ page }) => {
  await page.goto("/");
  await expectStep(page, "connect");
  expect(await walletLayerLoaded(page)).toBe(false);
  await connectSandboxWallet(page);
  expect(await walletLayerLoaded(page)).toBe(true);
});

test("a reload after connecting comes back to sign-in with the same wallet, and nothing on the console", async ({ page }, testInfo) => {
  const consoleErrors: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") consoleErrors.push(message.text());
  });
  await page.goto("/");
  await connectSandboxWallet(page);
  const account = await page.getByTestId("wallet-summary").textContent();
  // a nonce asked for (as Sign in does) leaves a cookie: the reload then asks who is signed in
  expect((await page.request.get("/api/auth/nonce")).ok()).toBe(true);
  const sessionChecked = page.waitForResponse((response) => new URL(response.url()).pathname === "/api/auth/session");
  await page.reload();
  expect((await sessionChecked).status()).toBe(200);
  await expectStep(page, "signin");
  await expect(page.getByTestId("wallet-summary")).toHaveText(account ?? "");
  // not signed in yet, with a cookie (its nonce): the session check answers {signedIn: false}, not a 401
  expect(consoleErrors).toEqual([]);
  await shot(page, testInfo, "reload-sign-in");
  await signIn(page);
});

test("a reload on the OffBlocks step shows the same message, and signing it still works", async ({ page }, testInfo) => {
  await page.goto("/");
  await connectSandboxWallet(page);
  await signIn(page);
  const challenge = await page.getByTestId("offblocks-challenge").textContent();

  await page.reload();
  await expectStep(page, "offblocks");
  await expect(stepHeading(page, "Verify your wallet with OffBlocks")).toBeVisible();
  await expect(page.getByTestId("offblocks-challenge")).toHaveText(challenge ?? "");
  // the wallet layer comes back (a signature is needed) and reconnects the same wallet
  await expect(page.getByTestId("wallet-summary")).toContainText("Sandbox wallet");
  await shot(page, testInfo, "reload-offblocks");
  await signOffblocksChallenge(page);
  await expectActive(page);
});

test("a reload during or after the status check shows the status without loading the wallet layer", async ({ page }, testInfo) => {
  await page.goto("/");
  await connectSandboxWallet(page);
  await signIn(page);
  await signOffblocksChallenge(page);
  await page.reload();
  await expectStep(page, "status");
  await expectActive(page);
  expect(await walletLayerLoaded(page)).toBe(false);
  await shot(page, testInfo, "reload-status");
});
