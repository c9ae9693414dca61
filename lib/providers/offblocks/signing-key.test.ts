import { createPublicKey, generateKeyPairSync } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { loadSigningKey, SIGNING_KEY_FILE } from "./signing-key";

describe("offblocks signing key", () => {
  const dirs: string[] = [];
  const tempDir = () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "signing-key-"));
    dirs.push(dir);
    return dir;
  };
  afterEach(() => {
    for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
  });

  it("generates a P-384 key once into the data dir (0600) and loads it afterwards", () => {
    const dir = tempDir();
    const first = loadSigningKey({ pem: undefined, dataDir: dir });
    expect(first.source).toBe("generated");
    expect(first.privateKey.asymmetricKeyDetails?.namedCurve).toBe("secp384r1");
    expect(fs.statSync(path.join(dir, SIGNING_KEY_FILE)).mode & 0o777).toBe(0o600);
    const again = loadSigningKey({ pem: undefined, dataDir: dir });
    expect(again.source).toBe("file");
    expect(again.fingerprint).toBe(first.fingerprint);
  });

  it("prefers the configured PEM (escaped newlines too) and exports base64(PEM SPKI)", () => {
    const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "secp384r1" });
    const pem = privateKey.export({ type: "pkcs8", format: "pem" }).toString();
    const dir = tempDir();
    const key = loadSigningKey({ pem: pem.replace(/\n/g, "\\n"), dataDir: dir });
    expect(key.source).toBe("env");
    expect(fs.existsSync(path.join(dir, SIGNING_KEY_FILE))).toBe(false);
    const decoded = Buffer.from(key.publicKeyBase64, "base64").toString("utf8");
    expect(decoded).toBe(key.publicKeyPem);
    expect(decoded).toMatch(/^-----BEGIN PUBLIC KEY-----\n/);
    expect(createPublicKey(decoded).equals(publicKey)).toBe(true);
  });

  it("refuses keys of another curve or type", () => {
    const p256 = generateKeyPairSync("ec", { namedCurve: "prime256v1" }).privateKey.export({ type: "pkcs8", format: "pem" }).toString();
    expect(() => loadSigningKey({ pem: p256, dataDir: tempDir() })).toThrow(/P-384/);
    expect(() => loadSigningKey({ pem: "-----BEGIN PRIVATE KEY-----\nnope\n-----END PRIVATE KEY-----", dataDir: tempDir() })).toThrow(
      expect.objectContaining({ code: "signing_key_invalid" }),
    );
  });
});
