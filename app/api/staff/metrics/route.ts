import { handleErrors } from "@/lib/api/error-response";
import { parseTimeRange, requireStaff, staffMetrics } from "@/lib/staff";

export const dynamic = "force-dynamic";

/** 200 the funnel, counts by status, time to OffBlocks verified, stuck count; 400 on a bad range; 401/403. */
export const GET = handleErrors(async (request: Request) => {
  const { db } = await requireStaff();
  const range = parseTimeRange(new URL(request.url).searchParams);
  return Response.json(await staffMetrics(db, range));
});
