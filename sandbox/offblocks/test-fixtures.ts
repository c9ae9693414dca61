/**
 * Test support for the OffBlocks emulator's tests: a sandbox on port 0 with a connected independent
 * client, fixed wallet accounts, challenge signing as a wallet does it, and /_sandbox calls.
 */
import { privateKeyToAccount, type PrivateKeyAccount } from "viem/accounts";
import { SANDBOX_DEFAULTS } from "@/lib/sandbox-defaults";
import type { Answer } from "../http/client-answer";
import { startSandbox, type SandboxHandle, type SandboxOptions } from "../server";
import { IndependentOffblocksClient } from "./independent-client";

/** Fixed test keys (Hardhat/Anvil's well-known development accounts 0 and 1): never real funds. */
export const WALLET = privateKeyToAccount("0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80");
export const OTHER_WALLET = privateKeyToAccount("0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d");

export const DEFAULT_CREDENTIALS = { ...SANDBOX_DEFAULTS.offblocks };

export function caip10(account: PrivateKeyAccount, chainId = 300): string {
  return `eip155:${chainId}:${account.address}`;
}

export function decodeChallenge(base64: string): string {
  return Buffer.from(base64, "base64").toString("utf8");
}

/** What a wallet does (personal_sign of the decoded text), answered as PROVIDERS.md says: base64 of 65 bytes. */
export async function signChallenge(base64Challenge: string, account: PrivateKeyAccount = WALLET): Promise<string> {
  const hex = await account.signMessage({ message: decodeChallenge(base64Challenge) });
  return Buffer.from(hex.slice(2), "hex").toString("base64");
}

export async function control(sandbox: SandboxHandle, method: string, path: string, body?: unknown): Promise<Answer> {
  const response = await fetch(`${sandbox.url}/_sandbox${path}`, {
    method,
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  const parsed: unknown = text === "" ? undefined : JSON.parse(text);
  return { status: response.status, body: parsed, errorCode: undefined, text, headers: response.headers };
}

export interface Harness {
  sandbox: SandboxHandle;
  client: IndependentOffblocksClient;
}

/** A fresh sandbox on port 0 and a client holding a token and a registered signing key. */
export async function startHarness(options: SandboxOptions = {}): Promise<Harness> {
  const sandbox = await startSandbox({ port: 0, autoAdvanceMs: false, ...options });
  const client = new IndependentOffblocksClient(sandbox.offblocksUrl, { ...DEFAULT_CREDENTIALS });
  await client.connect();
  return { sandbox, client };
}

export interface CreatedCustomerAnswer {
  id: string;
  externalId: string;
  chainId: string;
  status: string;
  challenge: string;
}

export async function createCustomer(
  client: IndependentOffblocksClient,
  account: PrivateKeyAccount = WALLET,
  externalId = "user-1",
): Promise<CreatedCustomerAnswer> {
  const answer = await client.call<CreatedCustomerAnswer>("POST", "/customers", { body: { chainId: caip10(account), externalId } });
  if (answer.status !== 201) throw new Error(`create customer: ${answer.status} ${answer.text}`);
  return answer.body;
}

/** Polls `check` until it returns a value other than undefined. */
export async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs = 5_000, everyMs = 10): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error("condition not reached in time");
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}
