import { handleErrors } from "@/lib/api/error-response";
import { healthReport } from "@/lib/health";

export const dynamic = "force-dynamic";

export const GET = handleErrors(async () => {
  const { status, db, providers, checkedAt } = await healthReport();
  return Response.json({ status, db, providers, checkedAt }, { status: db === "ok" ? 200 : 503, headers: { "cache-control": "no-store" } });
});
