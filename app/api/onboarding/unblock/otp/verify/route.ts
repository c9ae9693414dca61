import { signedInWallet } from "@/lib/auth";
import { readJsonBody } from "@/lib/api/body";
import { handleErrors } from "@/lib/api/error-response";
import { UnblockOtpBodySchema, verifyUnblockOtp } from "@/lib/onboarding";

export const dynamic = "force-dynamic";

/** `{code}` → 200 the onboarding with `session_active`; 400 `otp_invalid`, 410 `otp_expired`, 429 `otp_locked`. */
export const POST = handleErrors(async (request: Request) => {
  const user = await signedInWallet();
  const { code } = await readJsonBody(request, UnblockOtpBodySchema);
  return Response.json(await verifyUnblockOtp(user.address, code));
});
