/**
 * The route handler of the OffBlocks simulator's actions on one customer (`POST
 * /api/staff/simulator/customers/{id}/verify|reject`): staff only, sandbox only (404 `not_found` otherwise),
 * answering `{customerId, outcome, onboardingId}`.
 */
import { handleErrors } from "../api/error-response";
import { AppError } from "../errors";
import { requireStaff } from ".";
import { simulateCustomer } from "./providers";
import { processProviderClients, providersConfig } from "./providers-runtime";

export function simulatorAction(action: "verify" | "reject") {
  return handleErrors(async (_request: Request, context: { params: Promise<{ id: string }> }) => {
    const { db, user } = await requireStaff();
    const { id } = await context.params;
    const cfg = providersConfig();
    if (!cfg.sandbox.enabled) throw new AppError("not_found", 404, "The simulator exists only in sandbox mode.");
    const { offblocks } = await processProviderClients();
    return Response.json(await simulateCustomer(db, cfg, offblocks, user.address, id, action));
  });
}
