import { signedInWallet } from "@/lib/auth";
import { readJsonBody } from "@/lib/api/body";
import { handleErrors } from "@/lib/api/error-response";
import { UnblockLoginBodySchema, unblockLogin } from "@/lib/onboarding";

export const dynamic = "force-dynamic";

/**
 * `{signature}` of the message from /message → 200 the onboarding with `session_active` and
 * `sessionExpiresAt`; 400 `unblock_signature_invalid`, 410 `unblock_message_expired`, 409
 * `unblock_message_required` (already used or never asked for) — each with `error.onboarding`.
 */
export const POST = handleErrors(async (request: Request) => {
  const user = await signedInWallet();
  const { signature } = await readJsonBody(request, UnblockLoginBodySchema);
  return Response.json(await unblockLogin(user.address, signature));
});
