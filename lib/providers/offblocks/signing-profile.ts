/**
 * How OffBlocks requests are signed (RFC 9421 HTTP Message Signatures). The algorithm is documented; the
 * covered components, label and digest algorithm are not — those are **ours** (shared/PROVIDERS.md) and
 * live here only, used by our signer (lib/http) and by the emulator's verifier (sandbox/offblocks).
 */
export const SIGNATURE_LABEL = "sig1";
export const SIGNATURE_ALGORITHM = "ecdsa-p384-sha384";
/** The verifier refuses a `created` further than this from its (real) clock. */
export const SIGNATURE_MAX_SKEW_SECONDS = 300;
export const SIGNATURE_PARAMS = ["created", "keyid", "alg"] as const;

export interface SignedParts {
  hasQuery: boolean;
  hasBody: boolean;
  hasIdempotencyKey: boolean;
}

/** The components a request must cover, in order. */
export function coveredComponents(parts: SignedParts): string[] {
  const components = ["@method", "@authority", "@path", "authorization"];
  if (parts.hasQuery) components.push("@query");
  if (parts.hasBody) components.push("content-type", "content-digest");
  if (parts.hasIdempotencyKey) components.push("idempotency-key");
  return components;
}
