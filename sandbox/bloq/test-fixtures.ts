/**
 * Test support for the Bloq emulator's tests: a sandbox on port 0 with an independent client, fixed wallet
 * accounts, the default account and client key, and /_sandbox calls.
 */
import { decodeJwt } from "jose";
import { privateKeyToAccount } from "viem/accounts";
import { SANDBOX_DEFAULTS } from "@/lib/sandbox-defaults";
import { control } from "../offblocks/test-fixtures";
import { startSandbox, type SandboxHandle } from "../server";
import { IndependentBloqClient } from "./independent-client";

export { control };

/** Fixed test keys (Hardhat/Anvil's well-known development accounts 4 and 5): never real funds. */
export const WALLET = privateKeyToAccount("0x47e179ec197488593b187f80a00eb0da91f1b9d0b13f8733639f19c30a34926a");
export const OTHER_WALLET = privateKeyToAccount("0x8b3a350cf5c34c9194ca85829a2df0ec3153be0318b5e2d3348e872092edffba");

export const DEFAULTS = SANDBOX_DEFAULTS.bloq;

export interface Harness {
  sandbox: SandboxHandle;
  client: IndependentBloqClient;
}

export async function startHarness(): Promise<Harness> {
  const sandbox = await startSandbox({ port: 0, autoAdvanceMs: false });
  const client = new IndependentBloqClient({ accounts: sandbox.bloqAccountsUrl, stake: sandbox.bloqStakeUrl, connect: sandbox.bloqConnectUrl });
  return { sandbox, client };
}

export async function advanceClock(sandbox: SandboxHandle, seconds: number): Promise<void> {
  const answer = await control(sandbox, "POST", "/clock", { advanceSeconds: seconds });
  if (answer.status !== 200) throw new Error(`clock: ${answer.status} ${answer.text}`);
}

export async function accountToken(client: IndependentBloqClient): Promise<string> {
  const answer = await client.accountLogin(DEFAULTS.email, DEFAULTS.password);
  if (answer.status !== 200) throw new Error(`account login: ${answer.status} ${answer.text}`);
  return answer.body.accessToken;
}

export async function clientTokens(client: IndependentBloqClient, clientId: string = DEFAULTS.clientId, clientSecret: string = DEFAULTS.clientSecret) {
  const answer = await client.clientCredentials(clientId, clientSecret);
  if (answer.status !== 200) throw new Error(`client credentials: ${answer.status} ${answer.text}`);
  return answer.body;
}

/** Seconds between a JWT's iat and exp. */
export function lifetimeSeconds(token: string): number {
  const { iat, exp } = decodeJwt(token);
  if (iat === undefined || exp === undefined) throw new Error("token without iat/exp");
  return exp - iat;
}

export async function markUser(sandbox: SandboxHandle, address: string, known: boolean) {
  return control(sandbox, "POST", "/bloq/users", { address, known });
}
