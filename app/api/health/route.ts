import { handleErrors } from "@/lib/api/error-response";
import { healthReport } from "@/lib/health";

export const dynamic = "force-dynamic";

export const GET = handleErrors(async () => {
  const report = await healthReport();
  const { sandbox: _sandbox, ...body } = report;
  return Response.json(body, { status: report.db === "ok" ? 200 : 503, headers: { "cache-control": "no-store" } });
});
