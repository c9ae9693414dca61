/**
 * For integration tests: the OffBlocks part of the configuration pointing at a sandbox started on port 0
 * (default sandbox credentials, short timeouts), a fresh P-384 request-signing key, and a client built on them.
 */
import { generateKeyPairSync } from "node:crypto";
import type { Db } from "../lib/db/client";
import { createSecretBox } from "../lib/crypto/secret-box";
import { createLogger } from "../lib/log";
import { createOffblocksClient, type OffblocksClient } from "../lib/providers/offblocks";
import { signingKeyFromPem, type OffblocksSigningKey } from "../lib/providers/offblocks/signing-key";
import { SANDBOX_DEFAULTS } from "../lib/sandbox-defaults";
import type { SandboxHandle } from "../sandbox/server";

export const silentLogger = createLogger({ level: "silent" });

export function newTestSigningKey(): OffblocksSigningKey {
  return signingKeyFromPem(generateKeyPairSync("ec", { namedCurve: "secp384r1" }).privateKey.export({ type: "pkcs8", format: "pem" }).toString(), "env");
}

export function sandboxOffblocksConfig(sandbox: SandboxHandle, options: { dataDir: string; dataKey: string; maxRetries?: number }) {
  return {
    dataDir: options.dataDir,
    dataKey: options.dataKey,
    sandbox: { enabled: true, start: true, port: 0, url: sandbox.url },
    offblocks: {
      baseUrl: sandbox.offblocksUrl,
      apiKey: SANDBOX_DEFAULTS.offblocks.apiKey,
      apiSecret: SANDBOX_DEFAULTS.offblocks.apiSecret,
      signingKeyPem: undefined,
      timeoutMs: 2_000,
      maxRetries: options.maxRetries ?? 1,
    },
  };
}

export function sandboxOffblocksClient(
  db: Db,
  sandbox: SandboxHandle,
  options: { dataDir: string; dataKey: string; signingKey: OffblocksSigningKey; maxRetries?: number },
): OffblocksClient {
  return createOffblocksClient({
    db,
    config: sandboxOffblocksConfig(sandbox, options),
    logger: silentLogger,
    secretBox: createSecretBox(() => options.dataKey),
    signingKey: options.signingKey,
    backoff: { baseDelayMs: 5, maxDelayMs: 20 },
  });
}
