/**
 * One Unblock emulator: its state and routes (mounted by sandbox/server.ts at /unblock), and the mailbox
 * its email codes go to. Everything here belongs to the instance.
 */
import { Hono } from "hono";
import type { SandboxClock } from "../controls/clock";
import type { SandboxEnv } from "../http/env";
import { authRoutes } from "./auth-routes";
import { merchantKey } from "./guards";
import { UnblockState, type MailItem } from "./state";
import { userRoutes } from "./user-routes";

export interface UnblockEmulatorOptions {
  clock: SandboxClock;
  /** where the emulator is mounted (the SIWE URI is `<scheme>://<host><prefix>/auth/login`) */
  prefix: string;
}

export interface UnblockEmulator {
  app: Hono<SandboxEnv>;
  /** the emails sent, oldest first; only those to `email` (case-insensitive) when given */
  mailbox(email?: string): MailItem[];
  /** empty state, default API key */
  reset(): void;
}

export function createUnblockEmulator(options: UnblockEmulatorOptions): UnblockEmulator {
  const { clock } = options;
  const state = new UnblockState();
  const guard = merchantKey(state);

  const app = new Hono<SandboxEnv>();
  app.route("/", userRoutes(state, clock, guard));
  app.route("/", authRoutes(state, clock, guard, options.prefix));

  return {
    app,
    mailbox: (email) => state.mailFor(email),
    reset: () => state.reset(),
  };
}
