import { signedInUserIfAny } from "@/lib/auth";
import { handleErrors } from "@/lib/api/error-response";

export const dynamic = "force-dynamic";

/** 200 `{signedIn: true, address, chainId, isStaff}` or 200 `{signedIn: false}` (a first visit is not an error). */
export const GET = handleErrors(async () => {
  const user = await signedInUserIfAny();
  return Response.json(user ? { signedIn: true, ...user } : { signedIn: false });
});
