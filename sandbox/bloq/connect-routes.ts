/**
 * Bloq Connect, mounted at /bloq/connect: `GET /api/v1/status` with `Authorization: Bearer <token>`, an
 * account token or a client access token → 200 `{status: "ok"}` (ours). No token → 401 `unauthorized`; an
 * expired one (sandbox clock) → 401 text `jwt expired`; anything else (a refresh or stake token, garbage,
 * another instance's token) → 401 `invalid_token`.
 */
import { Hono } from "hono";
import type { z } from "zod";
import { CONNECT_STATUS_PATH, type ConnectStatusSchema } from "@/lib/providers/bloq/types";
import { applyFaultLatency } from "../controls/fault-middleware";
import type { SandboxClock } from "../controls/clock";
import type { SandboxEnv } from "../http/env";
import { BLOQ_ERROR, bloqError } from "./errors";
import type { BloqState } from "./state";
import { bearerToken, verifyToken } from "./tokens";

export function connectRoutes(state: BloqState, clock: SandboxClock): Hono<SandboxEnv> {
  const app = new Hono<SandboxEnv>();

  app.get(CONNECT_STATUS_PATH, applyFaultLatency, async (c) => {
    const token = bearerToken(c.req.header("authorization"));
    if (token === undefined) throw bloqError(401, BLOQ_ERROR.unauthorized, "An Authorization: Bearer <token> header is required");
    await verifyToken(state, clock, token, ["account", "client"]);
    const body: z.infer<typeof ConnectStatusSchema> = { status: "ok" };
    return c.json(body, 200);
  });

  return app;
}
