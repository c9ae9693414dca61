import { signIn, signInSettings, withStaffTable } from "@/lib/auth";
import { readJsonBody } from "@/lib/api/body";
import { handleErrors } from "@/lib/api/error-response";
import { SignInBodySchema } from "@/lib/api/schemas";
import { getSession } from "@/lib/session";

export const dynamic = "force-dynamic";

/** 200 `{address, chainId, isStaff}`; 401 `siwe_invalid` with `reason`. */
export const POST = handleErrors(async (request: Request) => {
  const body = await readJsonBody(request, SignInBodySchema);
  const user = await signIn(await getSession(), { message: body.message, signature: body.signature }, signInSettings());
  return Response.json(await withStaffTable(user));
});
