import { signedInWallet } from "@/lib/auth";
import { readJsonBody } from "@/lib/api/body";
import { handleErrors } from "@/lib/api/error-response";
import { EmptyBodySchema } from "@/lib/api/schemas";
import { getOnboarding, startOnboarding } from "@/lib/onboarding";

export const dynamic = "force-dynamic";

/** 201 the new onboarding, 200 the existing one (idempotent per wallet). */
export const POST = handleErrors(async (request: Request) => {
  const user = await signedInWallet();
  await readJsonBody(request, EmptyBodySchema);
  const { created, onboarding } = await startOnboarding(user);
  return Response.json(onboarding, { status: created ? 201 : 200 });
});

/** 200 the onboarding, or 404 `onboarding_not_found`. */
export const GET = handleErrors(async () => {
  const user = await signedInWallet();
  return Response.json(await getOnboarding(user.address));
});
