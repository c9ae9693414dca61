import { signOutRequest } from "@/lib/auth";
import { handleErrors } from "@/lib/api/error-response";

export const dynamic = "force-dynamic";

/** 204: the session ends server-side (on every instance) and the cookie is cleared. */
export const POST = handleErrors(async () => {
  await signOutRequest();
  return new Response(null, { status: 204 });
});
