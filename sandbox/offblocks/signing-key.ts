/**
 * The merchant's request-signing public key as `PUT /auth/signing` receives it: base64 of the PEM (SPKI)
 * of a P-384 key. Anything else (not base64, not a PEM public key, another curve or key type, a private
 * key) is refused with 400.
 */
import { createPublicKey, type KeyObject } from "node:crypto";
import { invalidRequest } from "./errors";

const BASE64 = /^[A-Za-z0-9+/\r\n]+={0,2}\s*$/;
const PEM_PUBLIC_KEY = /^\s*-----BEGIN PUBLIC KEY-----\r?\n[A-Za-z0-9+/=\r\n]+-----END PUBLIC KEY-----\s*$/;

export function parseSigningPublicKey(base64Pem: string): KeyObject {
  if (!BASE64.test(base64Pem)) throw invalidRequest("publicKey must be base64 of a PEM (SPKI) P-384 public key");
  const pem = Buffer.from(base64Pem, "base64").toString("utf8");
  if (!PEM_PUBLIC_KEY.test(pem)) throw invalidRequest("publicKey must be base64 of a PEM (SPKI) public key");
  let key: KeyObject;
  try {
    key = createPublicKey({ key: pem, format: "pem" });
  } catch {
    throw invalidRequest("publicKey is not a readable SPKI public key");
  }
  if (key.asymmetricKeyType !== "ec" || key.asymmetricKeyDetails?.namedCurve !== "secp384r1") {
    throw invalidRequest("publicKey must be an EC key on P-384 (secp384r1)");
  }
  return key;
}
