/**
 * RFC 9421 HTTP Message Signatures on outgoing requests, with the profile OffBlocks expects
 * (lib/providers/offblocks/signing-profile.ts): label `sig1`, `ecdsa-p384-sha384` with IEEE-P1363 signature
 * bytes, params `created`, `keyid`, `alg`, and the covered components the profile lists for the request.
 * Signing goes through `http-message-signatures` (httpbis), the library OffBlocks' own SDK is based on.
 */
import type { KeyObject } from "node:crypto";
import { createSigner, httpbis } from "http-message-signatures";
import { coveredComponents, SIGNATURE_ALGORITHM, SIGNATURE_LABEL, SIGNATURE_PARAMS } from "../providers/offblocks/signing-profile";

/** The parts of a request a signature covers. Header names are lower case. */
export interface SignableRequest {
  method: string;
  url: URL;
  headers: Record<string, string>;
}

/** Returns the headers (`Signature`, `Signature-Input`) to add to a request. */
export type RequestSigner = (request: SignableRequest) => Promise<Record<string, string>>;

export interface SigningKeyRef {
  privateKey: KeyObject;
  keyId: string;
}

/** The components to cover for this request, per the profile. */
export function componentsFor(request: SignableRequest): string[] {
  return coveredComponents({
    hasQuery: request.url.search.length > 1,
    hasBody: "content-digest" in request.headers,
    hasIdempotencyKey: "idempotency-key" in request.headers,
  });
}

/** Signs one request; `created` defaults to now (each attempt of a retried call is signed afresh). */
export async function signRequest(request: SignableRequest, key: SigningKeyRef, created: Date = new Date()): Promise<Record<string, string>> {
  const signed = await httpbis.signMessage(
    {
      key: createSigner(key.privateKey, SIGNATURE_ALGORITHM, key.keyId),
      name: SIGNATURE_LABEL,
      params: [...SIGNATURE_PARAMS],
      fields: componentsFor(request),
      paramValues: { created },
    },
    { method: request.method.toUpperCase(), url: request.url, headers: { ...request.headers } },
  );
  const signature = headerValue(signed.headers, "signature");
  const signatureInput = headerValue(signed.headers, "signature-input");
  return { signature, "signature-input": signatureInput };
}

function headerValue(headers: Record<string, string | string[]>, name: string): string {
  const entry = Object.entries(headers).find(([key]) => key.toLowerCase() === name);
  if (!entry) throw new Error(`signing produced no ${name} header`);
  return Array.isArray(entry[1]) ? entry[1].join(", ") : entry[1];
}
