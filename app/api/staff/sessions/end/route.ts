import { readJsonBody } from "@/lib/api/body";
import { handleErrors } from "@/lib/api/error-response";
import { requireStaff } from "@/lib/staff";
import { endSessions, EndSessionsBodySchema } from "@/lib/staff/sessions";

export const dynamic = "force-dynamic";

/** `{sessionId}` or `{address}` → 200 `{ended}`; 404 `session_not_found`; 400; 401/403. */
export const POST = handleErrors(async (request: Request) => {
  const { db, user } = await requireStaff();
  const body = await readJsonBody(request, EndSessionsBodySchema);
  return Response.json(await endSessions(db, user.address, body));
});
