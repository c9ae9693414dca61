/**
 * The app's OffBlocks request-signing key (P-384, `openssl ecparam -name secp384r1 -genkey` equivalent):
 * from OFFBLOCKS_SIGNING_KEY (PEM) when set, else `<dataDir>/offblocks-signing-key.pem`, generated there
 * (mode 0600) on first start. Its public half is registered at OffBlocks as base64(PEM of the SPKI).
 */
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { writeFileOnce } from "../../crypto/write-file-once";
import { AppError } from "../../errors";

export const SIGNING_KEY_FILE = "offblocks-signing-key.pem";

export interface OffblocksSigningKey {
  privateKey: KeyObject;
  /** PEM of the SubjectPublicKeyInfo */
  publicKeyPem: string;
  /** what `PUT /auth/signing` carries: base64 of publicKeyPem */
  publicKeyBase64: string;
  /** sha-256 of the SPKI DER, hex — safe to log */
  fingerprint: string;
  source: "env" | "file" | "generated";
}

export function signingKeyFromPem(pem: string, source: OffblocksSigningKey["source"]): OffblocksSigningKey {
  let privateKey: KeyObject;
  try {
    // env values often carry their newlines escaped
    privateKey = createPrivateKey(pem.includes("\\n") ? pem.replace(/\\n/g, "\n") : pem);
  } catch {
    throw new AppError("signing_key_invalid", 500, `The OffBlocks signing key (${source}) is not a readable PEM private key`);
  }
  if (privateKey.asymmetricKeyType !== "ec" || privateKey.asymmetricKeyDetails?.namedCurve !== "secp384r1") {
    throw new AppError("signing_key_invalid", 500, `The OffBlocks signing key (${source}) must be an EC P-384 (secp384r1) key`);
  }
  const publicKey = createPublicKey(privateKey);
  const publicKeyPem = publicKey.export({ type: "spki", format: "pem" }).toString();
  return {
    privateKey,
    publicKeyPem,
    publicKeyBase64: Buffer.from(publicKeyPem, "utf8").toString("base64"),
    fingerprint: createHash("sha256")
      .update(publicKey.export({ type: "spki", format: "der" }))
      .digest("hex"),
    source,
  };
}

export function loadSigningKey(options: { pem: string | undefined; dataDir: string }): OffblocksSigningKey {
  if (options.pem) return signingKeyFromPem(options.pem, "env");
  const file = path.join(options.dataDir, SIGNING_KEY_FILE);
  try {
    return signingKeyFromPem(fs.readFileSync(file, "utf8"), "file");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  const { privateKey } = generateKeyPairSync("ec", { namedCurve: "secp384r1" });
  const pem = privateKey.export({ type: "pkcs8", format: "pem" }).toString();
  // another process may generate it at the same moment (a fleet on one DATA_DIR): the first one's is used
  if (!writeFileOnce(file, pem)) return signingKeyFromPem(fs.readFileSync(file, "utf8"), "file");
  return signingKeyFromPem(pem, "generated");
}
