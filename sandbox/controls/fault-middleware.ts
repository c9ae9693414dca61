/**
 * Applies injected faults to a provider's routes. Mounted on the provider's prefix, before anything else:
 * a "before" fault answers without touching the provider; an "after" fault lets the provider do the work
 * and then replaces its answer (the answer is "lost"); latency is spent where the provider would be slow,
 * right before the route's handler (after authentication and the idempotency claim).
 */
import type { MiddlewareHandler } from "hono";
import type { SandboxEnv } from "../http/env";
import { errorResponse, type ErrorRenderer } from "../http/errors";
import { requestTarget } from "../http/raw-body";
import type { FaultRegistry, FiringFault } from "./faults";
import { SANDBOX_PROVIDERS, type SandboxProvider } from "./providers";

export const INJECTED_FAULT_CODE = "injected_fault";

function sleep(ms: number): Promise<void> {
  return ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms).unref()) : Promise.resolve();
}

function faultResponse(fault: FiringFault, status: number, render: ErrorRenderer): Response {
  return render(status, INJECTED_FAULT_CODE, `Injected sandbox fault ${fault.id}`);
}

function answersBeforeProcessing(fault: FiringFault): boolean {
  return fault.status !== undefined && fault.phase === "before";
}

/** `render` answers in the provider's own error shape (default: the sandbox's `{error: {code, message}}`). */
export function injectFaults(registry: FaultRegistry, provider: SandboxProvider, render: ErrorRenderer = errorResponse): MiddlewareHandler<SandboxEnv> {
  const prefix = SANDBOX_PROVIDERS[provider];
  return async (c, next) => {
    const { path } = requestTarget(c);
    const inner = path.startsWith(prefix) ? path.slice(prefix.length) || "/" : path;
    const fault = registry.take(provider, inner, c.req.method);
    c.set("fault", fault);
    if (!fault) return next();
    if (fault.status !== undefined && fault.phase === "before") {
      await sleep(fault.latencyMs);
      return faultResponse(fault, fault.status, render);
    }
    await next();
    if (fault.status !== undefined) c.res = faultResponse(fault, fault.status, render);
  };
}

/** Spends a firing fault's latency; placed last before a provider route's handler. */
export const applyFaultLatency: MiddlewareHandler<SandboxEnv> = async (c, next) => {
  const fault = c.get("fault");
  if (fault && !answersBeforeProcessing(fault)) await sleep(fault.latencyMs);
  return next();
};
