import { signedInUser } from "@/lib/auth";
import { handleErrors } from "@/lib/api/error-response";

export const dynamic = "force-dynamic";

/** 200 `{address, chainId, isStaff}` or 401 `not_signed_in`. */
export const GET = handleErrors(async () => Response.json(await signedInUser()));
