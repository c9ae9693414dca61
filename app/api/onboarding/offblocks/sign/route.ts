import { signedInWallet } from "@/lib/auth";
import { readJsonBody } from "@/lib/api/body";
import { handleErrors } from "@/lib/api/error-response";
import { OffblocksSignBodySchema } from "@/lib/api/schemas";
import { submitOffblocksSignature } from "@/lib/onboarding";

export const dynamic = "force-dynamic";

/**
 * 200 the onboarding with OffBlocks verified; 400 `signature_invalid` / 410 `challenge_expired` with the
 * onboarding holding the challenge to sign now in `error.onboarding`.
 */
export const POST = handleErrors(async (request: Request) => {
  const user = await signedInWallet();
  const { signature } = await readJsonBody(request, OffblocksSignBodySchema);
  return Response.json(await submitOffblocksSignature(user.address, signature));
});
