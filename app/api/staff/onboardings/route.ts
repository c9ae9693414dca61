import { handleErrors } from "@/lib/api/error-response";
import { listOnboardings, parseListQuery, requireStaff } from "@/lib/staff";

export const dynamic = "force-dynamic";

/** 200 `{items, nextCursor}` newest first; 400 on a bad parameter; 401/403. */
export const GET = handleErrors(async (request: Request) => {
  const { db } = await requireStaff();
  const query = parseListQuery(new URL(request.url).searchParams);
  return Response.json(await listOnboardings(db, query));
});
