/**
 * Verifies a request's RFC 9421 HTTP Message Signature the way OffBlocks documents it (profile in
 * lib/providers/offblocks/signing-profile.ts): exactly one signature labelled `sig1`, `alg`
 * ecdsa-p384-sha384 only, IEEE-P1363 (r‖s, 96 bytes) signature bytes, `keyid` the registered key,
 * every required component covered, `created` present and within 300 s of real time in both directions.
 * `@path`, `@query` and `@authority` are taken from the request exactly as received (not decoded).
 */
import { verify as verifyWithKey } from "node:crypto";
import { httpbis, type ComponentParser, type SignatureParameters, type VerifyingKey } from "http-message-signatures";
import { OFFBLOCKS_ERROR } from "@/lib/providers/offblocks/types";
import {
  coveredComponents,
  SIGNATURE_ALGORITHM,
  SIGNATURE_LABEL,
  SIGNATURE_MAX_SKEW_SECONDS,
  SIGNATURE_PARAMS,
} from "@/lib/providers/offblocks/signing-profile";
import type { SigningKeyRecord } from "./state";

const P1363_P384_BYTES = 96;

export interface SignedRequest {
  method: string;
  /** absolute URL of the request (used only for components not taken raw below) */
  url: string;
  /** the Host the request was sent to */
  authority: string;
  /** raw path and query (without "?") as received */
  path: string;
  query: string;
  /** lower-case names */
  headers: Record<string, string>;
  hasBody: boolean;
}

export type SignatureVerdict = { ok: true } | { ok: false; code: string; message: string };

const invalid = (message: string): SignatureVerdict => ({ ok: false, code: OFFBLOCKS_ERROR.signatureInvalid, message });
const unknownKey = (message: string): SignatureVerdict => ({ ok: false, code: OFFBLOCKS_ERROR.signingKeyUnknown, message });

function verifier(key: SigningKeyRecord): VerifyingKey {
  return {
    id: key.keyId,
    algs: [SIGNATURE_ALGORITHM],
    verify: async (data, signature) => {
      if (signature.length !== P1363_P384_BYTES) return false;
      try {
        return verifyWithKey("sha384", data, { key: key.key, dsaEncoding: "ieee-p1363" }, signature);
      } catch {
        return false;
      }
    },
  };
}

export async function verifyRequestSignature(
  request: SignedRequest,
  registeredKey: SigningKeyRecord | undefined,
  nowSeconds: number = Math.floor(Date.now() / 1000),
): Promise<SignatureVerdict> {
  const signature = request.headers["signature"];
  const signatureInput = request.headers["signature-input"];
  if (signature === undefined && signatureInput === undefined) {
    return { ok: false, code: OFFBLOCKS_ERROR.signatureMissing, message: "Signature and Signature-Input headers are required" };
  }
  if (!signature || !signatureInput) return invalid("Both Signature and Signature-Input headers are required");
  if (!new RegExp(`^\\s*${SIGNATURE_LABEL}=`).test(signatureInput)) {
    return invalid(`The signature must be labelled ${SIGNATURE_LABEL}`);
  }

  const required = coveredComponents({
    hasQuery: request.query !== "",
    hasBody: request.hasBody,
    hasIdempotencyKey: request.headers["idempotency-key"] !== undefined,
  });
  let lookups = 0;
  let problem: SignatureVerdict | undefined;
  const keyLookup = async (params: SignatureParameters): Promise<VerifyingKey | null> => {
    lookups += 1;
    if (lookups > 1) {
      problem ??= invalid(`Exactly one signature (${SIGNATURE_LABEL}) is accepted`);
      return null;
    }
    if (!registeredKey) {
      problem = unknownKey("No request-signing key is registered (PUT /auth/signing)");
      return null;
    }
    if (params.keyid !== registeredKey.keyId) {
      problem = unknownKey("The signature's keyid is not the registered signing key");
      return null;
    }
    if (params.alg !== SIGNATURE_ALGORITHM) {
      problem = invalid(`The signature's alg must be "${SIGNATURE_ALGORITHM}"`);
      return null;
    }
    const created = params.created;
    const createdSeconds = created instanceof Date ? created.getTime() / 1000 : Number.NaN;
    if (!Number.isInteger(createdSeconds)) {
      problem = invalid("The signature needs a created parameter (unix seconds)");
      return null;
    }
    if (Math.abs(nowSeconds - createdSeconds) > SIGNATURE_MAX_SKEW_SECONDS) {
      problem = invalid(`The signature's created is more than ${SIGNATURE_MAX_SKEW_SECONDS} s away from the server's clock`);
      return null;
    }
    return verifier(registeredKey);
  };

  const componentParser: ComponentParser = (name, params) => {
    if (params.size > 0) return null;
    switch (name) {
      case "@path":
        return [request.path === "" ? "/" : request.path];
      case "@query":
        return [`?${request.query}`];
      case "@authority":
        return [request.authority.toLowerCase()];
      default:
        return null;
    }
  };

  let result: boolean | null;
  try {
    result = await httpbis.verifyMessage(
      {
        keyLookup,
        componentParser,
        requiredParams: [...SIGNATURE_PARAMS],
        requiredFields: required,
        maxAge: SIGNATURE_MAX_SKEW_SECONDS,
        notAfter: nowSeconds + SIGNATURE_MAX_SKEW_SECONDS,
      },
      { method: request.method, url: request.url, headers: request.headers },
    );
  } catch (error) {
    if (problem) return problem;
    const reason = error instanceof Error ? error.message : "";
    if (/required signed fields/i.test(reason)) return invalid(`The signature must cover ${required.join(" ")}`);
    if (/required signature parameters/i.test(reason)) return invalid(`The signature must carry ${SIGNATURE_PARAMS.join(", ")}`);
    return invalid("The signature headers are malformed or do not match the request");
  }
  if (problem) return problem;
  if (lookups !== 1) return invalid(`Exactly one signature (${SIGNATURE_LABEL}) is accepted`);
  if (result !== true) return invalid("The signature does not verify");
  return { ok: true };
}
