/**
 * For integration tests: the Bloq part of the configuration pointing at a sandbox started on port 0 (the
 * sandbox's client key and account login, short timeouts).
 */
import { SANDBOX_DEFAULTS } from "../lib/sandbox-defaults";
import type { SandboxHandle } from "../sandbox/server";

export function sandboxBloqConfig(sandbox: SandboxHandle, client: { clientId: string; clientSecret: string } = SANDBOX_DEFAULTS.bloq) {
  return {
    accountsUrl: sandbox.bloqAccountsUrl,
    stakeUrl: sandbox.bloqStakeUrl,
    connectUrl: sandbox.bloqConnectUrl,
    clientId: client.clientId,
    clientSecret: client.clientSecret,
    email: SANDBOX_DEFAULTS.bloq.email,
    password: SANDBOX_DEFAULTS.bloq.password,
    timeoutMs: 2_000,
    maxRetries: 2,
  };
}
