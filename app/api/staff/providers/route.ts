import { handleErrors } from "@/lib/api/error-response";
import { requireStaff } from "@/lib/staff";
import { providersStatus } from "@/lib/staff/providers";
import { processProviderClients, providersConfig } from "@/lib/staff/providers-runtime";

export const dynamic = "force-dynamic";

/** 200 per provider: mode, health, last call, error rate, token expiry; OffBlocks keyId and webhooks; 401/403. */
export const GET = handleErrors(async () => {
  const { db } = await requireStaff();
  return Response.json(await providersStatus(db, providersConfig(), await processProviderClients()));
});
