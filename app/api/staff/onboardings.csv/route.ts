import { handleErrors } from "@/lib/api/error-response";
import { onboardingsCsv, parseListFilters, requireStaff } from "@/lib/staff";

export const dynamic = "force-dynamic";

/** 200 text/csv, streamed: the filtered list (same filters as /api/staff/onboardings), formula-safe; 400; 401/403. */
export const GET = handleErrors(async (request: Request) => {
  const { db } = await requireStaff();
  const filters = parseListFilters(new URL(request.url).searchParams);
  const stamp = new Date().toISOString().replace(/[:.]/g, "-");
  return new Response(await onboardingsCsv(db, filters), {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="onboardings-${stamp}.csv"`,
    },
  });
});
