/**
 * /auth: the two ways to a session. `POST /auth/login` with `{message, signature}` is the SIWE login;
 * with `{user_uuid}` (and no `message`) it emails a one-time code; `POST /auth/otp` trades the code for a
 * session.
 *
 * ours: SIWE refusals → 401 `siwe_invalid` (with the reason), a nonce already used → 401
 * `nonce_already_used`, no user with that sign-in address → 404 `user_not_found`; a nonce is spent only by
 * a successful login. The code request answers 200 `{user_uuid, message}`.
 */
import { Hono, type Context, type MiddlewareHandler } from "hono";
import { z } from "zod";
import { OtpRequestSchema, OtpVerifySchema, SiweLoginSchema, UNBLOCK_ERROR, UNBLOCK_LOGIN_PATH, type UnblockSession } from "@/lib/providers/unblock/types";
import type { SandboxClock } from "../controls/clock";
import type { SandboxEnv } from "../http/env";
import { describeIssues, parseJsonBody } from "../http/json-body";
import { invalidRequest, unblockError, userNotFound } from "./errors";
import { checkCode, sendCode } from "./otp";
import { startSession } from "./sessions";
import { verifySiweLogin, type SiweExpectations } from "./siwe";
import type { UnblockState } from "./state";

const JsonObjectSchema = z.record(z.string(), z.unknown());

function validate<S extends z.ZodType>(schema: S, value: unknown): z.infer<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw invalidRequest(describeIssues(parsed.error));
  return parsed.data;
}

/** What the SIWE message must say for a request that came to this host. */
function expectationsFor(c: Context<SandboxEnv>, prefix: string, now: number): SiweExpectations {
  const url = new URL(c.req.url);
  const host = c.req.header("host") ?? url.host;
  const scheme = url.protocol.replace(/:$/, "");
  return { domain: host, scheme, uri: `${scheme}://${host}${prefix}${UNBLOCK_LOGIN_PATH}`, now };
}

export function authRoutes(state: UnblockState, clock: SandboxClock, guard: MiddlewareHandler<SandboxEnv>, prefix: string): Hono<SandboxEnv> {
  const app = new Hono<SandboxEnv>();

  app.post(UNBLOCK_LOGIN_PATH, guard, async (c) => {
    const body = parseJsonBody(c, JsonObjectSchema);
    if (!("message" in body) && "user_uuid" in body) {
      const { user_uuid } = validate(OtpRequestSchema, body);
      const user = state.users.get(user_uuid.toLowerCase());
      if (!user) throw userNotFound();
      sendCode(state, clock, user);
      return c.json({ user_uuid: user.uuid, message: "A one-time login code was sent to the user's email" }, 200);
    }
    const { message, signature } = validate(SiweLoginSchema, body);
    const siwe = await verifySiweLogin(message, signature, expectationsFor(c, prefix, clock.now()));
    if (state.usedNonces.has(siwe.nonce)) {
      throw unblockError(401, UNBLOCK_ERROR.nonceReused, "This message (nonce) has already been used; sign a new one");
    }
    const user = state.userByAddress(siwe.address);
    if (!user) throw unblockError(404, UNBLOCK_ERROR.userNotFound, "No user has this sign_in_crypto_address");
    state.usedNonces.add(siwe.nonce);
    const session: UnblockSession = startSession(state, clock, user);
    return c.json(session, 200);
  });

  app.post("/auth/otp", guard, (c) => {
    const { one_time_password, user_uuid } = parseJsonBody(c, OtpVerifySchema);
    const user = state.users.get(user_uuid.toLowerCase());
    if (!user) throw userNotFound();
    checkCode(clock, user, one_time_password);
    const session: UnblockSession = startSession(state, clock, user);
    return c.json(session, 200);
  });

  return app;
}
