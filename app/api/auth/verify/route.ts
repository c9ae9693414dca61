import { signInRequest } from "@/lib/auth";
import { readJsonBody } from "@/lib/api/body";
import { handleErrors } from "@/lib/api/error-response";
import { SignInBodySchema } from "@/lib/api/schemas";

export const dynamic = "force-dynamic";

/** 200 `{address, chainId, isStaff}`; 401 `siwe_invalid` with `reason`. */
export const POST = handleErrors(async (request: Request) => {
  const body = await readJsonBody(request, SignInBodySchema);
  return Response.json(await signInRequest({ message: body.message, signature: body.signature }));
});
