/**
 * A page that does not exist answers 404 with the app's own page (app/not-found.tsx): its name, one sentence,
 * and the ways on — at 1280 px and at 375 px.
 */
import { expect, test } from "@playwright/test";
import { expectStep, shot } from "./onboarding-steps";

for (const width of [1280, 375]) {
  test(`a nonsense address gets the app's 404 page with the ways on, ${width} px wide`, async ({ page }, testInfo) => {
    await page.setViewportSize({ width, height: 812 });
    const response = await page.goto("/no/such/page?x=1");
    expect(response?.status()).toBe(404);
    await expect(page.getByTestId("not-found")).toBeVisible();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("This page does not exist");
    await expect(page).toHaveTitle("Page not found · Wallet onboarding");
    // nothing runs off the page sideways on a phone
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
    await shot(page, testInfo, `not-found-${width}`);
    await page.getByRole("link", { name: "Go to the onboarding" }).click();
    await expectStep(page, "connect");
  });
}
