import { z } from "zod";
import { signedInWallet } from "@/lib/auth";
import { readJsonBody } from "@/lib/api/body";
import { handleErrors } from "@/lib/api/error-response";
import { createUnblockUser } from "@/lib/onboarding";

export const dynamic = "force-dynamic";

/**
 * `{firstName, lastName, email, country}` → 200 the onboarding with `steps.unblock.status = "user_created"`
 * (an existing Unblock user answers as is); 400 `invalid_request` with `error.fields.{firstName,lastName,
 * email,country}`; 409 `email_taken` with `error.fields.email`.
 */
export const POST = handleErrors(async (request: Request) => {
  const user = await signedInWallet();
  const form = await readJsonBody(request, z.record(z.string(), z.unknown()));
  return Response.json(await createUnblockUser(user.address, form));
});
