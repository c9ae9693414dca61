import { signedInWallet } from "@/lib/auth";
import { readJsonBody } from "@/lib/api/body";
import { handleErrors } from "@/lib/api/error-response";
import { EmptyBodySchema } from "@/lib/api/schemas";
import { requestUnblockOtp } from "@/lib/onboarding";

export const dynamic = "force-dynamic";

/** 200 the onboarding with `steps.unblock.otpSentAt`: Unblock emailed the user a code. */
export const POST = handleErrors(async (request: Request) => {
  const user = await signedInWallet();
  await readJsonBody(request, EmptyBodySchema);
  return Response.json(await requestUnblockOtp(user.address));
});
