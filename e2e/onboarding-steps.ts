/**
 * Steps of the onboarding page the browser specs share: each does what a person does and waits for the page
 * to show the outcome. A fresh browser context is a fresh Sandbox wallet (its key lives in localStorage).
 */
import { expect, type Page, type TestInfo } from "@playwright/test";

export const stepHeading = (page: Page, name: string | RegExp) => page.getByRole("heading", { level: 2, name });

export async function shot(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  await page.screenshot({ path: testInfo.outputPath(`${name}.png`), fullPage: true, animations: "disabled" });
}

export async function expectStep(page: Page, step: "connect" | "signin" | "offblocks" | "status"): Promise<void> {
  await expect(page.getByTestId("onboarding-flow")).toHaveAttribute("data-step", step, { timeout: 15_000 });
}

/** Landing → "Connect wallet" → RainbowKit's modal → "Sandbox wallet"; ends on the sign-in step. */
export async function connectSandboxWallet(page: Page, testInfo?: TestInfo): Promise<void> {
  await expectStep(page, "connect");
  await page.getByRole("button", { name: "Connect wallet" }).click();
  const modal = page.getByRole("dialog");
  await expect(modal).toBeVisible({ timeout: 15_000 });
  const sandbox = modal.getByRole("button", { name: /Sandbox wallet/ });
  await expect(sandbox).toBeVisible();
  if (testInfo) await shot(page, testInfo, "02-wallet-modal");
  await sandbox.click();
  await expect(modal).toBeHidden();
  await expectStep(page, "signin");
  await expect(stepHeading(page, "Sign in with your wallet")).toBeVisible();
}

export async function signIn(page: Page): Promise<void> {
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expectStep(page, "offblocks");
  await expect(page.getByTestId("offblocks-challenge")).toBeVisible({ timeout: 20_000 });
}

export async function signOffblocksChallenge(page: Page): Promise<void> {
  await page.getByRole("button", { name: "Sign with your wallet" }).click();
  await expectStep(page, "status");
}

export async function expectActive(page: Page): Promise<void> {
  await expect(page.getByTestId("offblocks-status")).toHaveAttribute("data-status", "active", { timeout: 15_000 });
  await expect(page.getByText("All set: your OffBlocks account is active")).toBeVisible();
}

/** The sandbox's provider emulators (started by `npm start` beside the app, on E2E_SANDBOX_PORT). */
export const SANDBOX_URL = `http://127.0.0.1:${process.env.E2E_SANDBOX_PORT ?? 4110}`;

export async function sandboxControl(page: Page, method: "POST" | "DELETE", path: string, data?: unknown): Promise<void> {
  const response = await page.request.fetch(`${SANDBOX_URL}/_sandbox${path}`, { method, ...(data === undefined ? {} : { data }) });
  expect(response.ok(), `${method} /_sandbox${path} → ${response.status()}`).toBe(true);
}

/** Whether the wallet layer (RainbowKit's provider) is on the page. */
export async function walletLayerLoaded(page: Page): Promise<boolean> {
  return (await page.locator("[data-rk]").count()) > 0;
}
