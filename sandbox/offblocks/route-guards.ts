/**
 * The checks in front of OffBlocks routes, in the order the emulator applies them:
 * Bearer token → body rules (content-type, Content-Digest) → RFC 9421 signature → Idempotency-Key →
 * (fault latency) → handler. `signed` guards every authenticated route; `bearerOnly` guards
 * /auth/signing, which is how the first key gets registered; `open` guards /auth/token.
 */
import type { MiddlewareHandler } from "hono";
import { contentDigestMatches } from "@/lib/http/content-digest";
import { OFFBLOCKS_ERROR } from "@/lib/providers/offblocks/types";
import type { SandboxClock } from "../controls/clock";
import { applyFaultLatency } from "../controls/fault-middleware";
import { chain } from "../http/chain";
import type { SandboxEnv } from "../http/env";
import { SANDBOX_ERROR, SandboxHttpError } from "../http/errors";
import { requestTarget } from "../http/raw-body";
import { unauthorized } from "./errors";
import { idempotency } from "./idempotency";
import { verifyRequestSignature } from "./request-signature";
import type { OffblocksState } from "./state";
import { verifyToken } from "./tokens";

const BEARER = /^Bearer +([A-Za-z0-9\-_.]+) *$/i;
const JSON_CONTENT_TYPE = /^application\/json *(;.*)?$/i;

export interface RouteGuards {
  open: MiddlewareHandler<SandboxEnv>;
  bearerOnly: MiddlewareHandler<SandboxEnv>;
  signed: MiddlewareHandler<SandboxEnv>;
}

export function routeGuards(state: OffblocksState, clock: SandboxClock): RouteGuards {
  const bearer: MiddlewareHandler<SandboxEnv> = async (c, next) => {
    const header = c.req.header("authorization");
    if (!header) throw unauthorized("An Authorization: Bearer <token> header is required");
    const token = BEARER.exec(header)?.[1];
    if (!token) throw unauthorized("The Authorization header must be Bearer <token>");
    c.set("merchantId", await verifyToken(state, clock, token));
    return next();
  };

  const bodyRules =
    (digest: "required" | "if-present"): MiddlewareHandler<SandboxEnv> =>
    async (c, next) => {
      const body = c.get("rawBody");
      const digestHeader = c.req.header("content-digest");
      if (body.byteLength > 0) {
        const contentType = c.req.header("content-type");
        if (!contentType || !JSON_CONTENT_TYPE.test(contentType)) {
          throw new SandboxHttpError(415, SANDBOX_ERROR.unsupportedMediaType, "Request bodies must be application/json");
        }
        if (digestHeader === undefined && digest === "required") {
          throw new SandboxHttpError(400, OFFBLOCKS_ERROR.digestMismatch, "A Content-Digest header (sha-256) is required");
        }
      }
      if (digestHeader !== undefined && !contentDigestMatches(digestHeader, body)) {
        throw new SandboxHttpError(400, OFFBLOCKS_ERROR.digestMismatch, "Content-Digest does not match the body (sha-256)");
      }
      return next();
    };

  const signature: MiddlewareHandler<SandboxEnv> = async (c, next) => {
    const { path, query } = requestTarget(c);
    const headers: Record<string, string> = {};
    c.req.raw.headers.forEach((value, name) => {
      headers[name.toLowerCase()] = value;
    });
    const verdict = await verifyRequestSignature(
      {
        method: c.req.method,
        url: c.req.url,
        authority: c.req.header("host") ?? new URL(c.req.url).host,
        path,
        query,
        headers,
        hasBody: c.get("rawBody").byteLength > 0,
      },
      state.merchant.signingKey,
    );
    if (!verdict.ok) throw new SandboxHttpError(401, verdict.code, verdict.message);
    return next();
  };

  const getStore = () => state.idempotency;
  return {
    open: chain(bodyRules("if-present"), applyFaultLatency),
    bearerOnly: chain(bearer, bodyRules("if-present"), idempotency(getStore, clock, "optional"), applyFaultLatency),
    signed: chain(bearer, bodyRules("required"), signature, idempotency(getStore, clock, "required"), applyFaultLatency),
  };
}
