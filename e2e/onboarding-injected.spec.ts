/**
 * Wallet situations only a real (injected) wallet can create, with the other engineer's EIP-6963 fixture:
 * the wallet on a network we do not accept (switch offered, switch refused), and a page reopened while the
 * wallet holds another account than the session's. (Happy path, rejection, expiry and a live account
 * switch are in wallet-onboarding.spec.ts.)
 */
import type { Page } from "@playwright/test";
import { generatePrivateKey } from "viem/accounts";
import { expect, test } from "./fixtures/injected-wallet";
import { expectActive, expectStep, shot, signOffblocksChallenge, stepHeading } from "./onboarding-steps";

async function connectTestWallet(page: Page): Promise<void> {
  await expectStep(page, "connect");
  await page.getByRole("button", { name: "Connect wallet" }).click();
  const modal = page.getByRole("dialog");
  await modal.getByRole("button", { name: /Test Wallet/ }).click();
  await expect(modal).toBeHidden({ timeout: 15_000 });
  await expectStep(page, "signin");
}

test("a wallet on a network we do not accept is offered the switch; a refused switch says what to do", async ({ page, wallet }, testInfo) => {
  await page.goto("/");
  await connectTestWallet(page);
  await wallet.switchChain(1);

  const wrongChain = page.getByTestId("wrong-chain");
  await expect(wrongChain).toContainText("Your wallet is on Ethereum");
  await expect(page.getByRole("button", { name: "Sign in", exact: true })).toBeDisabled();
  await shot(page, testInfo, "wrong-chain");

  wallet.rejectNext("wallet_switchEthereumChain");
  await wrongChain.getByRole("button", { name: "Switch to zkSync Sepolia" }).click();
  await expect(page.getByTestId("signin-error")).toContainText("You declined the switch");
  await shot(page, testInfo, "wrong-chain-switch-refused");

  await wrongChain.getByRole("button", { name: "Switch to zkSync Sepolia" }).click();
  await expect(wrongChain).toBeHidden();
  expect(wallet.chainId).toBe(300);
  await expect(page.getByTestId("wallet-summary")).toContainText("zkSync Sepolia");
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expectStep(page, "offblocks");
  // the sign-in message names the chain the wallet switched to
  expect(wallet.signed.at(-1)).toMatchObject({ method: "personal_sign", message: expect.stringContaining("Chain ID: 300") });
});

test("coming back with another account in the wallet than the signed-in one: sign out and sign in with it", async ({ page, wallet }, testInfo) => {
  await page.goto("/");
  await connectTestWallet(page);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expectStep(page, "offblocks");
  const first = wallet.address;

  // the person leaves, picks another account in the wallet, and comes back
  await page.goto("about:blank");
  const second = await wallet.switchAccount(generatePrivateKey());
  await page.goto("/");
  await expectStep(page, "offblocks");
  const wrongAccount = page.getByTestId("wrong-account");
  await expect(wrongAccount).toContainText(`You signed in as ${first.slice(0, 6)}`);
  await expect(wrongAccount).toContainText(`your wallet now uses ${second.slice(0, 6)}`);
  await expect(page.getByRole("button", { name: "Sign with your wallet" })).toBeHidden();
  await shot(page, testInfo, "wrong-account");

  await wrongAccount.getByRole("button", { name: /Sign out and sign in as/ }).click();
  await expectStep(page, "signin");
  await expect(stepHeading(page, "Sign in with your wallet")).toBeFocused();
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expectStep(page, "offblocks");
  await expect(page.getByTestId("signed-in-as")).toContainText(second.slice(0, 6));
  await signOffblocksChallenge(page);
  await expectActive(page);
});
