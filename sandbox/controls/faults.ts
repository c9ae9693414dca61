/**
 * Injected faults (`POST /_sandbox/faults`): make a provider answer an error status, answer late, or lose
 * its answer after doing the work (phase "after", which is what idempotent retries are tested with).
 *
 * A fault with `latencyMs` and no `status` only slows the provider down: the request is processed normally,
 * `latencyMs` later. Otherwise the status defaults to 503.
 */
import { randomUUID } from "node:crypto";
import { z } from "zod";
import { SANDBOX_PROVIDER_NAMES, type SandboxProvider } from "./providers";

export const FaultCreateSchema = z.object({
  provider: z.enum(SANDBOX_PROVIDER_NAMES),
  /** prefix of the path inside the provider's prefix, e.g. "/customers" */
  path: z.string().startsWith("/").max(2048).optional(),
  method: z
    .string()
    .regex(/^[A-Za-z]{1,16}$/)
    .optional(),
  status: z.number().int().min(400).max(599).optional(),
  latencyMs: z.number().int().min(0).max(120_000).optional(),
  rate: z.number().min(0).max(1),
  times: z.number().int().positive().optional(),
  phase: z.enum(["before", "after"]).default("before"),
});
export type FaultCreate = z.infer<typeof FaultCreateSchema>;

export const DEFAULT_FAULT_STATUS = 503;

export interface Fault {
  id: string;
  provider: SandboxProvider;
  path: string | undefined;
  method: string | undefined;
  /** undefined: latency only, the request is then processed normally */
  status: number | undefined;
  latencyMs: number;
  rate: number;
  remaining: number | undefined;
  phase: "before" | "after";
}

/** What one request got from the registry: the fault's effect, decided once. */
export interface FiringFault {
  id: string;
  status: number | undefined;
  latencyMs: number;
  phase: "before" | "after";
}

export class FaultRegistry {
  #faults: Fault[] = [];

  add(input: FaultCreate): Fault {
    const fault: Fault = {
      id: randomUUID(),
      provider: input.provider,
      path: input.path,
      method: input.method?.toUpperCase(),
      status: input.status ?? (input.latencyMs === undefined ? DEFAULT_FAULT_STATUS : undefined),
      latencyMs: input.latencyMs ?? 0,
      rate: input.rate,
      remaining: input.times,
      phase: input.phase,
    };
    this.#faults.push(fault);
    return fault;
  }

  list(): readonly Fault[] {
    return this.#faults;
  }

  clear(): void {
    this.#faults = [];
  }

  /**
   * The first fault matching this request that fires (by its rate), counted against its `times`.
   * `path` is the path inside the provider's prefix.
   */
  take(provider: SandboxProvider, path: string, method: string): FiringFault | undefined {
    for (const fault of this.#faults) {
      if (fault.provider !== provider) continue;
      if (fault.path !== undefined && !path.startsWith(fault.path)) continue;
      if (fault.method !== undefined && fault.method !== method.toUpperCase()) continue;
      if (!(Math.random() < fault.rate)) continue;
      if (fault.remaining !== undefined) {
        fault.remaining -= 1;
        if (fault.remaining <= 0) this.#faults = this.#faults.filter((f) => f !== fault);
      }
      return { id: fault.id, status: fault.status, latencyMs: fault.latencyMs, phase: fault.phase };
    }
    return undefined;
  }
}
