/**
 * One Bloq emulator: its state and the three services' routes, mounted by sandbox/server.ts at
 * SANDBOX_PREFIX.bloqAccounts, .bloqStake and .bloqConnect, and the `known` switch of
 * `POST /_sandbox/bloq/users`. Everything here belongs to the instance.
 */
import type { Hono } from "hono";
import { getAddress } from "viem";
import type { SandboxClock } from "../controls/clock";
import type { SandboxEnv } from "../http/env";
import { accountsRoutes } from "./accounts-routes";
import { connectRoutes } from "./connect-routes";
import { stakeRoutes } from "./stake-routes";
import { BloqState } from "./state";

export interface BloqEmulatorOptions {
  clock: SandboxClock;
}

export interface BloqEmulator {
  accounts: Hono<SandboxEnv>;
  stake: Hono<SandboxEnv>;
  connect: Hono<SandboxEnv>;
  /** marks an address as a Stake user (the default) or not; returns it EIP-55 */
  setUserKnown(address: string, known: boolean): { address: string; known: boolean };
  /** the sandbox account with its default client key, no nonces, every address known, every token void */
  reset(): void;
}

export function createBloqEmulator(options: BloqEmulatorOptions): BloqEmulator {
  const { clock } = options;
  const state = new BloqState(clock);
  return {
    accounts: accountsRoutes(state, clock),
    stake: stakeRoutes(state, clock),
    connect: connectRoutes(state, clock),
    setUserKnown(address, known) {
      state.setUserKnown(address, known);
      return { address: getAddress(address.toLowerCase()), known };
    },
    reset: () => state.reset(),
  };
}
