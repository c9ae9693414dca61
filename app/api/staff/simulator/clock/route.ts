import { readJsonBody } from "@/lib/api/body";
import { handleErrors } from "@/lib/api/error-response";
import { requireStaff } from "@/lib/staff";
import { advanceSandboxClock, AdvanceClockBodySchema } from "@/lib/staff/providers";
import { providersConfig } from "@/lib/staff/providers-runtime";

export const dynamic = "force-dynamic";

/** Sandbox only (404 otherwise): `{advanceSeconds}` moves the sandbox clock; 200 `{advanceSeconds}`; 401/403. */
export const POST = handleErrors(async (request: Request) => {
  const { db, user } = await requireStaff();
  const cfg = providersConfig();
  if (!cfg.sandbox.enabled) return Response.json({ error: { code: "not_found", message: "The simulator exists only in sandbox mode." } }, { status: 404 });
  const { advanceSeconds } = await readJsonBody(request, AdvanceClockBodySchema);
  return Response.json(await advanceSandboxClock(db, cfg, user.address, advanceSeconds));
});
