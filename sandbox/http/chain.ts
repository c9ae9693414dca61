/** Runs middlewares in order as one: the per-route guard chains (auth, signature, idempotency…). */
import type { MiddlewareHandler } from "hono";
import type { SandboxEnv } from "./env";

export function chain(...middlewares: MiddlewareHandler<SandboxEnv>[]): MiddlewareHandler<SandboxEnv> {
  return async (c, next) => {
    const run = async (index: number): Promise<void> => {
      const middleware = middlewares[index];
      if (!middleware) return next();
      const result = await middleware(c, () => run(index + 1));
      if (result instanceof Response) c.res = result;
    };
    await run(0);
  };
}
