/**
 * Accessibility and small screens: axe finds no serious or critical violation in any state of the flow,
 * focus lands on each new step's heading and is visible, and at 375 px nothing scrolls sideways.
 */
import { expectNoSeriousViolations } from "./axe";
import { expect, test, type Page } from "@playwright/test";
import { connectSandboxWallet, expectActive, expectStep, shot, signIn, signOffblocksChallenge, stepHeading } from "./onboarding-steps";

async function expectNoSidewaysScroll(page: Page): Promise<void> {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
}

test("every state of the flow passes axe (no serious or critical violations)", async ({ page }) => {
  await page.goto("/");
  await expectStep(page, "connect");
  await expectNoSeriousViolations(page, "landing");
  await page.getByRole("button", { name: "Connect wallet" }).click();
  const sandbox = page.getByRole("dialog").getByRole("button", { name: /Sandbox wallet/ });
  await expect(sandbox).toBeVisible({ timeout: 15_000 });
  await page.waitForFunction(() => document.getAnimations().every((animation) => animation.playState !== "running"));
  await expectNoSeriousViolations(page, "wallet modal (RainbowKit)");
  await sandbox.click();
  await expectStep(page, "signin");
  await expectNoSeriousViolations(page, "sign-in");
  await signIn(page);
  await expectNoSeriousViolations(page, "OffBlocks challenge");
  await signOffblocksChallenge(page);
  await expectActive(page);
  await expectNoSeriousViolations(page, "status active");
});

test("with the keyboard alone: focus is visible and follows each step's heading", async ({ page }) => {
  await page.goto("/");
  await expectStep(page, "connect");
  const connect = page.getByRole("button", { name: "Connect wallet" });
  await connect.focus();
  await expect(connect).toBeFocused();
  const outline = await connect.evaluate((el) => getComputedStyle(el).outlineStyle);
  expect(outline).not.toBe("none");
  await page.keyboard.press("Enter");
  const sandbox = page.getByRole("dialog").getByRole("button", { name: /Sandbox wallet/ });
  await expect(sandbox).toBeVisible({ timeout: 15_000 });
  await sandbox.focus();
  await page.keyboard.press("Enter");
  await expect(stepHeading(page, "Sign in with your wallet")).toBeFocused();
  await page.getByRole("button", { name: "Sign in", exact: true }).focus();
  await page.keyboard.press("Enter");
  await expect(stepHeading(page, "Verify your wallet with OffBlocks")).toBeFocused({ timeout: 20_000 });
  await page.getByRole("button", { name: "Sign with your wallet" }).focus();
  await page.keyboard.press("Enter");
  await expect(stepHeading(page, /Verification in progress|You are verified/)).toBeFocused({ timeout: 20_000 });
});

test.describe("on a 375 px wide phone", () => {
  test.use({ viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true });

  test("the whole flow fits the width and works with taps", async ({ page }, testInfo) => {
    await page.goto("/");
    await expectStep(page, "connect");
    await expectNoSideWaysScrollAndShoot(page, testInfo, "phone-01-landing");
    await connectSandboxWallet(page, testInfo);
    await expectNoSideWaysScrollAndShoot(page, testInfo, "phone-03-sign-in");
    await signIn(page);
    await expectNoSideWaysScrollAndShoot(page, testInfo, "phone-04-offblocks");
    await signOffblocksChallenge(page);
    await expectActive(page);
    await expectNoSideWaysScrollAndShoot(page, testInfo, "phone-06-active");
    await expectNoSeriousViolations(page, "phone status");
  });
});

async function expectNoSideWaysScrollAndShoot(page: Page, testInfo: Parameters<typeof shot>[1], name: string): Promise<void> {
  await expectNoSidewaysScroll(page);
  await shot(page, testInfo, name);
}
