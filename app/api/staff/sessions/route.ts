import { handleErrors } from "@/lib/api/error-response";
import { config } from "@/lib/config";
import { requireStaff } from "@/lib/staff";
import { listSessions, parseSessionsQuery } from "@/lib/staff/sessions";

export const dynamic = "force-dynamic";

/** 200 `{items}`: the live sessions, newest sign-in first (`?address=` one wallet's); 400 `invalid_address`; 401/403. */
export const GET = handleErrors(async (request: Request) => {
  const { db, sessionId } = await requireStaff();
  const query = parseSessionsQuery(new URL(request.url).searchParams);
  return Response.json(await listSessions(db, { ...query, currentSessionId: sessionId, configuredStaff: config().staffAddresses }));
});
