/** The Hono environment every sandbox route runs in. */
import type { HttpBindings } from "@hono/node-server";
import type { FiringFault } from "../controls/faults";

export interface SandboxVariables {
  /** the request body exactly as received (empty when there is none), read once by `readRawBody` */
  rawBody: Uint8Array;
  /** the fault firing for this request, if any (set by the provider's fault middleware) */
  fault: FiringFault | undefined;
  /** the authenticated OffBlocks merchant (set by the Bearer check) */
  merchantId: string | undefined;
}

export interface SandboxEnv {
  Bindings: HttpBindings;
  Variables: SandboxVariables;
}
