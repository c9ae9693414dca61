/**
 * Secrets at rest (provider credentials, provider sessions): AES-256-GCM with a key derived by HKDF-SHA256
 * from DATA_KEY. Sealed layout: version byte (1) ‖ IV (12) ‖ auth tag (16) ‖ ciphertext. An optional
 * context string is bound as additional authenticated data, so a sealed value cannot be moved to another
 * row or column unnoticed.
 *
 * Where the key material comes from is injectable (`DataKeySource`): DATA_KEY when set; in sandbox mode
 * without DATA_KEY, a random key generated once into `<dataDir>/data-key` (mode 0600); outside sandbox
 * mode a missing DATA_KEY is a configuration error.
 */
import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from "node:crypto";
import { AppError } from "../errors";
import { readOrCreateSecretFile } from "./generated-secret";

const VERSION = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const HEADER_BYTES = 1 + IV_BYTES + TAG_BYTES;
const HKDF_INFO = "wallet-onboarding/secret-box/v1";
const HKDF_SALT = "wallet-onboarding";
export const DATA_KEY_FILE = "data-key";

export interface SecretBox {
  seal(plaintext: string | Uint8Array, context?: string): Buffer;
  open(sealed: Uint8Array, context?: string): Buffer;
  openText(sealed: Uint8Array, context?: string): string;
  /** a keyed digest (HMAC-SHA256, hex) of a secret: compares equal values without storing a plain hash */
  fingerprint(secret: string, context: string): string;
}

/** Yields the key material (DATA_KEY text or equivalent); called once per box. */
export type DataKeySource = () => string | Uint8Array;

export function deriveKey(material: string | Uint8Array): Buffer {
  const ikm = typeof material === "string" ? Buffer.from(material, "utf8") : Buffer.from(material);
  if (ikm.length < 32) throw new AppError("data_key_invalid", 500, "DATA_KEY must be at least 32 characters");
  return Buffer.from(hkdfSync("sha256", ikm, HKDF_SALT, HKDF_INFO, 32));
}

export function createSecretBox(source: DataKeySource): SecretBox {
  const material = source();
  const key = deriveKey(material);
  const fingerprintKey = Buffer.from(hkdfSync("sha256", key, HKDF_SALT, `${HKDF_INFO}/fingerprint`, 32));
  const open = (sealed: Uint8Array, context?: string): Buffer => {
    const data = Buffer.from(sealed);
    if (data.length < HEADER_BYTES || data[0] !== VERSION) {
      throw new AppError("secret_unreadable", 500, "A stored secret is malformed");
    }
    const iv = data.subarray(1, 1 + IV_BYTES);
    const tag = data.subarray(1 + IV_BYTES, HEADER_BYTES);
    const decipher = createDecipheriv("aes-256-gcm", key, iv);
    decipher.setAuthTag(tag);
    if (context !== undefined) decipher.setAAD(Buffer.from(context, "utf8"));
    try {
      return Buffer.concat([decipher.update(data.subarray(HEADER_BYTES)), decipher.final()]);
    } catch {
      throw new AppError("secret_unreadable", 500, "A stored secret could not be decrypted (wrong DATA_KEY or tampered data)");
    }
  };
  return {
    seal(plaintext, context) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv("aes-256-gcm", key, iv);
      if (context !== undefined) cipher.setAAD(Buffer.from(context, "utf8"));
      const body = Buffer.concat([cipher.update(typeof plaintext === "string" ? Buffer.from(plaintext, "utf8") : plaintext), cipher.final()]);
      return Buffer.concat([Buffer.from([VERSION]), iv, cipher.getAuthTag(), body]);
    },
    open,
    openText: (sealed, context) => open(sealed, context).toString("utf8"),
    fingerprint: (secret, context) => createHmac("sha256", fingerprintKey).update(`${context}\0${secret}`).digest("hex"),
  };
}

/** Reads `<dataDir>/data-key`, creating it (random, mode 0600) on first use. */
export function fileDataKey(dataDir: string): string {
  return readOrCreateSecretFile(dataDir, DATA_KEY_FILE);
}

export interface DataKeySettings {
  dataKey: string | undefined;
  dataDir: string;
  sandbox: { enabled: boolean };
}

/** The key source the configuration calls for (see the header of this file). */
export function dataKeySource(settings: DataKeySettings): DataKeySource {
  return () => {
    if (settings.dataKey) return settings.dataKey;
    if (settings.sandbox.enabled) return fileDataKey(settings.dataDir);
    throw new AppError("data_key_missing", 500, "DATA_KEY must be set (at least 32 random characters) when real provider credentials are configured");
  };
}

/** A box keyed as the configuration says. */
export function secretBoxFromConfig(settings: DataKeySettings): SecretBox {
  return createSecretBox(dataKeySource(settings));
}
