import { signedInWallet } from "@/lib/auth";
import { readJsonBody } from "@/lib/api/body";
import { handleErrors } from "@/lib/api/error-response";
import { openUnblockAccount, UnblockAccountBodySchema } from "@/lib/onboarding";

export const dynamic = "force-dynamic";

/**
 * `{currency: "EUR"|"GBP"}` → 200 the onboarding with `steps.unblock.account`; 401 `unblock_session_expired`
 * (expired, or ended by a newer sign-in) with `error.onboarding` in `session_expired`: sign in again.
 */
export const POST = handleErrors(async (request: Request) => {
  const user = await signedInWallet();
  const { currency } = await readJsonBody(request, UnblockAccountBodySchema);
  return Response.json(await openUnblockAccount(user.address, currency));
});
