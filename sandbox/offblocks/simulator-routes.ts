/** /simulator: the sandbox's hand on screening and KYC (verify → active, reject → rejected). */
import { Hono } from "hono";
import type { CustomerStatus } from "@/lib/providers/offblocks/types";
import type { SandboxEnv } from "../http/env";
import type { CustomerLifecycle } from "./customer-lifecycle";
import { invalidState, notFound } from "./errors";
import type { RouteGuards } from "./route-guards";
import { customerView, type OffblocksState } from "./state";

const DECIDABLE: readonly CustomerStatus[] = ["screening", "verifying"];

export function simulatorRoutes(state: OffblocksState, lifecycle: CustomerLifecycle, guards: RouteGuards): Hono<SandboxEnv> {
  const app = new Hono<SandboxEnv>();
  const decide = (outcome: "active" | "rejected") =>
    app.patch(`/simulator/customers/:id/${outcome === "active" ? "verify" : "reject"}`, guards.signed, (c) => {
      const customer = state.customers.get(c.req.param("id"));
      if (!customer) throw notFound("Customer");
      if (!DECIDABLE.includes(customer.status)) {
        throw invalidState(`Only a customer in screening or verifying can be decided (it is ${customer.status})`);
      }
      lifecycle.transition(customer, outcome);
      return c.json(customerView(customer), 202);
    });
  decide("active");
  decide("rejected");
  return app;
}
