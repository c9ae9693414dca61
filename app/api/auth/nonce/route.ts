import { issueNonce } from "@/lib/auth";
import { handleErrors } from "@/lib/api/error-response";
import { getSession } from "@/lib/session";

export const dynamic = "force-dynamic";

/** 200 `{nonce}`: a fresh SIWE nonce kept in the session (single use, 10 min). */
export const GET = handleErrors(async () => {
  const session = await getSession();
  const nonce = issueNonce(session, new Date());
  await session.save();
  return Response.json({ nonce });
});
