import { handleErrors } from "@/lib/api/error-response";
import { requireStaff } from "@/lib/staff";
import { simulateCustomer } from "@/lib/staff/providers";
import { processProviderClients, providersConfig } from "@/lib/staff/providers-runtime";

export const dynamic = "force-dynamic";

/** Sandbox only (404 otherwise): the OffBlocks simulator's verify of customer {id}; 200 `{customerId, outcome, onboardingId}`; 401/403. */
export const POST = handleErrors(async (_request: Request, context: { params: Promise<{ id: string }> }) => {
  const { db, user } = await requireStaff();
  const { id } = await context.params;
  const cfg = providersConfig();
  if (!cfg.sandbox.enabled) return Response.json({ error: { code: "not_found", message: "The simulator exists only in sandbox mode." } }, { status: 404 });
  const { offblocks } = await processProviderClients();
  return Response.json(await simulateCustomer(db, cfg, offblocks, user.address, id, "verify"));
});
