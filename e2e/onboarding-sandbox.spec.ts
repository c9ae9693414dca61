/**
 * The whole onboarding with the Sandbox wallet — no extension, no injected provider: a burner key the
 * browser keeps — from the landing page to OffBlocks "active" (the sandbox approves on its own).
 */
import { expect, test } from "@playwright/test";
import { connectSandboxWallet, expectActive, expectStep, shot, signIn, signOffblocksChallenge, stepHeading } from "./onboarding-steps";

test("a person with no wallet extension onboards with the Sandbox wallet up to OffBlocks active", async ({ page, baseURL }, testInfo) => {
  // nothing outside the app is needed: no RPC, no WalletConnect relay, no ENS, no analytics
  const elsewhere: string[] = [];
  page.on("request", (request) => {
    const url = new URL(request.url());
    if (url.protocol !== "data:" && url.origin !== new URL(baseURL ?? "").origin) elsewhere.push(request.url());
  });
  await page.goto("/");
  await expect(page.getByRole("heading", { level: 1 })).toContainText("Prove you own your wallet");
  await expect(page.getByTestId("what-happens")).toContainText("The first signature proves to us");
  await expect(page.getByRole("navigation", { name: "Onboarding progress" }).getByRole("listitem")).toHaveText([
    /Connect/,
    /Sign in/,
    /Verify with OffBlocks/,
    /Status/,
  ]);
  await expectStep(page, "connect");
  await shot(page, testInfo, "01-landing");

  await connectSandboxWallet(page, testInfo);
  // focus moves to the new step's heading
  await expect(stepHeading(page, "Sign in with your wallet")).toBeFocused();
  await expect(page.getByTestId("wallet-summary")).toContainText("Sandbox wallet");
  await expect(page.getByTestId("wallet-summary")).toContainText("zkSync Sepolia");
  await shot(page, testInfo, "03-sign-in");

  const whoWillAsk = page.getByRole("region", { name: "Who will ask for a signature" });
  await expect(whoWillAsk).toBeVisible();
  await signIn(page);
  await expect(stepHeading(page, "Verify your wallet with OffBlocks")).toBeFocused();
  // signed in: the overview of who will ask is out of the way
  await expect(whoWillAsk).toHaveCount(0);
  const challenge = page.getByTestId("offblocks-challenge");
  await expect(challenge).toContainText("wants you to sign in with your Ethereum account");
  await expect(challenge).toContainText("OffBlocks wants to verify ownership of your wallet");
  // the message names OffBlocks' domain, and the page says it is not ours
  const domain = /^(\S+) wants you/.exec((await challenge.textContent()) ?? "")?.[1];
  expect(domain).toBeTruthy();
  expect(domain).not.toBe(new URL(page.url()).host);
  await expect(page.getByTestId("domain-explainer")).toContainText(`It names ${domain}, OffBlocks’ address, not this site`);
  await expect(page.getByTestId("signed-in-as")).toBeVisible();
  await shot(page, testInfo, "04-offblocks-challenge");

  await signOffblocksChallenge(page);
  await shot(page, testInfo, "05-status-in-progress");
  await expectActive(page);
  await expect(stepHeading(page, "You are verified")).toBeVisible();
  const stages = page.getByRole("list", { name: "OffBlocks verification stages" }).getByRole("listitem");
  await expect(stages).toHaveCount(4);
  for (const stage of await stages.all()) await expect(stage).toHaveAttribute("data-state", "done");
  await shot(page, testInfo, "06-active");
  expect(elsewhere).toEqual([]);
});

test("signing out from the status page goes back to connect, and the same wallet signs in again to its onboarding", async ({ page }, testInfo) => {
  await page.goto("/");
  await connectSandboxWallet(page);
  await signIn(page);
  await signOffblocksChallenge(page);
  await expectActive(page);

  await page.getByRole("button", { name: "Sign out" }).click();
  await expectStep(page, "connect");
  await expect(page.getByTestId("flow-notice")).toContainText("You are signed out");
  expect(await (await page.request.get("/api/auth/session")).json()).toEqual({ signedIn: false });
  await shot(page, testInfo, "signed-out");

  await connectSandboxWallet(page);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  // the wallet's onboarding is already done: straight to its status
  await expectStep(page, "status");
  await expectActive(page);
});
