import { signedInWallet } from "@/lib/auth";
import { readJsonBody } from "@/lib/api/body";
import { handleErrors } from "@/lib/api/error-response";
import { EmptyBodySchema } from "@/lib/api/schemas";
import { refreshOffblocksChallenge } from "@/lib/onboarding";

export const dynamic = "force-dynamic";

/** 200 the onboarding with the challenge to sign now (a fresh one once the previous expired or failed). */
export const POST = handleErrors(async (request: Request) => {
  const user = await signedInWallet();
  await readJsonBody(request, EmptyBodySchema);
  return Response.json(await refreshOffblocksChallenge(user.address));
});
