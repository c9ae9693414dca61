import { signedInWallet } from "@/lib/auth";
import { readJsonBody } from "@/lib/api/body";
import { handleErrors } from "@/lib/api/error-response";
import { EmptyBodySchema } from "@/lib/api/schemas";
import { buildBloqMessage } from "@/lib/onboarding";

export const dynamic = "force-dynamic";

/**
 * 200 `{message}`: the Bloq text to sign (nonce fetched from Bloq for this wallet, Issued At = now);
 * 404 `bloq_address_not_allowed` (the wallet is not on Bloq's list; the step reads `not_allowed`), 409
 * `bloq_already_linked` — both with `error.onboarding`.
 */
export const POST = handleErrors(async (request: Request) => {
  const user = await signedInWallet();
  await readJsonBody(request, EmptyBodySchema);
  return Response.json(await buildBloqMessage(user.address));
});
