/**
 * Test support for the Unblock emulator's tests: a sandbox on port 0 with an independent client, fixed
 * wallet accounts, a user factory, the mailbox and /_sandbox calls.
 */
import { privateKeyToAccount, type PrivateKeyAccount } from "viem/accounts";
import { SANDBOX_DEFAULTS } from "@/lib/sandbox-defaults";
import { control } from "../offblocks/test-fixtures";
import { startSandbox, type SandboxHandle } from "../server";
import { IndependentUnblockClient } from "./independent-client";

export { control };

/** Fixed test keys (Hardhat/Anvil's well-known development accounts 2 and 3): never real funds. */
export const WALLET = privateKeyToAccount("0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a");
export const OTHER_WALLET = privateKeyToAccount("0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6");

export const API_KEY = SANDBOX_DEFAULTS.unblock.apiKey;

export interface Harness {
  sandbox: SandboxHandle;
  client: IndependentUnblockClient;
}

export async function startHarness(): Promise<Harness> {
  const sandbox = await startSandbox({ port: 0, autoAdvanceMs: false });
  return { sandbox, client: new IndependentUnblockClient(sandbox.unblockUrl, API_KEY) };
}

let counter = 0;

export function userInput(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  counter += 1;
  return { first_name: "Ada", last_name: "Lovelace", email: `ada.${counter}.${Date.now()}@example.com`, country: "GB", ...overrides };
}

/** Creates a user (with `account` as sign-in address unless `null`); returns its uuid and email. */
export async function createUser(
  client: IndependentUnblockClient,
  account: PrivateKeyAccount | null = WALLET,
  overrides: Record<string, unknown> = {},
): Promise<{ uuid: string; email: string }> {
  const input = userInput({ ...(account ? { sign_in_crypto_address: account.address } : {}), ...overrides });
  const answer = await client.createUser(input);
  if (answer.status !== 201) throw new Error(`create user: ${answer.status} ${answer.text}`);
  return { uuid: answer.body.user_uuid, email: String(input.email) };
}

export interface MailItemAnswer {
  to: string;
  subject: string;
  body: string;
  code: string;
  sentAt: string;
}

export async function mailbox(sandbox: SandboxHandle, email: string): Promise<MailItemAnswer[]> {
  const answer = await control(sandbox, "GET", `/mailbox?email=${encodeURIComponent(email)}`);
  if (answer.status !== 200) throw new Error(`mailbox: ${answer.status} ${answer.text}`);
  return (answer.body as { items: MailItemAnswer[] }).items;
}

/** Requests a code and reads it from the mailbox. */
export async function emailedCode(client: IndependentUnblockClient, sandbox: SandboxHandle, user: { uuid: string; email: string }) {
  const requested = await client.requestCode(user.uuid);
  if (requested.status !== 200) throw new Error(`request code: ${requested.status} ${requested.text}`);
  const items = await mailbox(sandbox, user.email);
  const last = items.at(-1);
  if (!last) throw new Error("no email in the mailbox");
  return last.code;
}

export async function advanceClock(sandbox: SandboxHandle, seconds: number): Promise<void> {
  const answer = await control(sandbox, "POST", "/clock", { advanceSeconds: seconds });
  if (answer.status !== 200) throw new Error(`clock: ${answer.status} ${answer.text}`);
}
