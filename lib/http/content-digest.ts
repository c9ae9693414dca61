/** RFC 9530 `Content-Digest` with sha-256: `sha-256=:<base64>:`. */
import { createHash, timingSafeEqual } from "node:crypto";

export function contentDigest(body: string | Uint8Array): string {
  return `sha-256=:${createHash("sha256").update(body).digest("base64")}:`;
}

/** True when `header` carries a sha-256 member equal to the digest of `body`. */
export function contentDigestMatches(header: string | undefined, body: string | Uint8Array): boolean {
  if (!header) return false;
  const expected = createHash("sha256").update(body).digest();
  for (const member of header.split(",")) {
    const match = /^\s*sha-256=:([A-Za-z0-9+/=]+):\s*$/.exec(member);
    if (!match?.[1]) continue;
    const given = Buffer.from(match[1], "base64");
    if (given.length === expected.length && timingSafeEqual(given, expected)) return true;
  }
  return false;
}
