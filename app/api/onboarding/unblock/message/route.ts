import { signedInWallet } from "@/lib/auth";
import { readJsonBody } from "@/lib/api/body";
import { handleErrors } from "@/lib/api/error-response";
import { EmptyBodySchema } from "@/lib/api/schemas";
import { buildUnblockMessage } from "@/lib/onboarding";

export const dynamic = "force-dynamic";

/** 200 `{message}`: the Sign-In with Ethereum text for Unblock (a fresh nonce, single use, valid 4 h). */
export const POST = handleErrors(async (request: Request) => {
  const user = await signedInWallet();
  await readJsonBody(request, EmptyBodySchema);
  return Response.json(await buildUnblockMessage(user.address));
});
