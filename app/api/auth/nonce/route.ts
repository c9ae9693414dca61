import { issueRequestNonce } from "@/lib/auth";
import { handleErrors } from "@/lib/api/error-response";

export const dynamic = "force-dynamic";

/** 200 `{nonce}`: a fresh SIWE nonce, single use, 10 min (its id sealed in the cookie). */
export const GET = handleErrors(async () => Response.json({ nonce: await issueRequestNonce() }));
