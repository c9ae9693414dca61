import { handleErrors } from "@/lib/api/error-response";
import { onboardingDetail, requireStaff } from "@/lib/staff";

export const dynamic = "force-dynamic";

/** 200 the onboarding with `events` (oldest first); 404 `onboarding_not_found`; 401/403. */
export const GET = handleErrors(async (_request: Request, context: { params: Promise<{ id: string }> }) => {
  const { db } = await requireStaff();
  const { id } = await context.params;
  return Response.json(await onboardingDetail(db, id));
});
