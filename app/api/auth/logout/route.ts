import { handleErrors } from "@/lib/api/error-response";
import { getSession } from "@/lib/session";

export const dynamic = "force-dynamic";

/** 204: the session cookie is cleared. */
export const POST = handleErrors(async () => {
  (await getSession()).destroy();
  return new Response(null, { status: 204 });
});
