import { handleErrors } from "@/lib/api/error-response";
import { lastEventIdHeader, requireStaff, staffEventStream } from "@/lib/staff";

export const dynamic = "force-dynamic";

/**
 * 200 text/event-stream of new onboarding events (`event: onboarding_event`, `id: <tx>-<event id>`, resumed
 * exactly from Last-Event-ID: lib/staff/stream.ts); 401/403.
 */
export const GET = handleErrors(async (request: Request) => {
  const { db } = await requireStaff();
  const resume = lastEventIdHeader(request.headers.get("last-event-id"));
  const stream = staffEventStream(db, { signal: request.signal, ...(resume ? { resume } : {}) });
  return new Response(stream, {
    headers: { "Content-Type": "text/event-stream; charset=utf-8", "Cache-Control": "no-store", "X-Accel-Buffering": "no" },
  });
});
