import { readJsonBody } from "@/lib/api/body";
import { handleErrors } from "@/lib/api/error-response";
import { requireStaff } from "@/lib/staff";
import { revokeOffblocksCredentials, RevokeCredentialsBodySchema, rotateOffblocksCredentials, RotateCredentialsBodySchema } from "@/lib/staff/providers";
import { processProviderClients } from "@/lib/staff/providers-runtime";

export const dynamic = "force-dynamic";

/** Rotate: `{apiKey, apiSecret}` → 200 `{version, apiKey}`; the running app uses them at once. 400/401/403/502. */
export const POST = handleErrors(async (request: Request) => {
  const { db, user } = await requireStaff();
  const body = await readJsonBody(request, RotateCredentialsBodySchema);
  const { offblocks } = await processProviderClients();
  return Response.json(await rotateOffblocksCredentials(db, offblocks, user.address, body));
});

/** Revoke: `{confirm: "REVOKE"}` → 200 `{revoked: true}`; 400 `confirmation_required`; 409 `already_revoked`; 401/403. */
export const DELETE = handleErrors(async (request: Request) => {
  const { db, user } = await requireStaff();
  const body = await readJsonBody(request, RevokeCredentialsBodySchema);
  const { offblocks } = await processProviderClients();
  return Response.json(await revokeOffblocksCredentials(db, offblocks, user.address, body));
});
