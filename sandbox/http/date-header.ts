/**
 * Stamps every answer with a `Date` header read from the sandbox clock, so that a client which corrects
 * its clock by the server's `Date` (as one building time-bound messages should) follows `/_sandbox/clock`.
 */
import type { MiddlewareHandler } from "hono";
import type { SandboxClock } from "../controls/clock";
import type { SandboxEnv } from "./env";

export function sandboxDateHeader(clock: SandboxClock): MiddlewareHandler<SandboxEnv> {
  return async (c, next) => {
    await next();
    try {
      c.res.headers.set("date", clock.nowDate().toUTCString());
    } catch {
      // immutable headers (never the case for our own answers): keep the real Date
    }
  };
}
