import { signedInWallet } from "@/lib/auth";
import { readJsonBody } from "@/lib/api/body";
import { handleErrors } from "@/lib/api/error-response";
import { BloqLoginBodySchema, linkBloq } from "@/lib/onboarding";

export const dynamic = "force-dynamic";

/**
 * `{signature}` of the message from /message → 200 the onboarding with `steps.bloq.status = "linked"` and
 * `tokenExpiresAt`; 400 `signature_invalid` (a fresh message in `error.onboarding.steps.bloq.message` when
 * Bloq refused it), 409 `bloq_message_required`, 404 `bloq_address_not_allowed` — each with `error.onboarding`.
 */
export const POST = handleErrors(async (request: Request) => {
  const user = await signedInWallet();
  const { signature } = await readJsonBody(request, BloqLoginBodySchema);
  return Response.json(await linkBloq(user.address, signature));
});
