/**
 * The merchant key in front of every Unblock route: `Authorization: API-Key <key>`, the prefix exactly as
 * written (case and the one space included), the key compared in constant time. 401 `unauthorized` otherwise.
 * Then the fault latency, as on every provider (sandbox/controls/fault-middleware.ts).
 */
import { createHash, timingSafeEqual } from "node:crypto";
import type { MiddlewareHandler } from "hono";
import { UNBLOCK_AUTH_PREFIX } from "@/lib/providers/unblock/types";
import { applyFaultLatency } from "../controls/fault-middleware";
import { chain } from "../http/chain";
import type { SandboxEnv } from "../http/env";
import { unauthorized } from "./errors";
import type { UnblockState } from "./state";

function sameSecret(a: string, b: string): boolean {
  const digest = (value: string) => createHash("sha256").update(value).digest();
  return timingSafeEqual(digest(a), digest(b));
}

export function merchantKey(state: UnblockState): MiddlewareHandler<SandboxEnv> {
  const apiKey: MiddlewareHandler<SandboxEnv> = async (c, next) => {
    const header = c.req.header("authorization");
    if (header === undefined) throw unauthorized(`An Authorization: ${UNBLOCK_AUTH_PREFIX}<key> header is required`);
    if (!header.startsWith(UNBLOCK_AUTH_PREFIX)) {
      throw unauthorized(`The Authorization header must start with "${UNBLOCK_AUTH_PREFIX}"`);
    }
    if (!sameSecret(header.slice(UNBLOCK_AUTH_PREFIX.length), state.apiKey)) throw unauthorized("Invalid API key");
    return next();
  };
  return chain(apiKey, applyFaultLatency);
}
