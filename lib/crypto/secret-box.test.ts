import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { AppError } from "../errors";
import { createSecretBox, DATA_KEY_FILE, dataKeySource, fileDataKey, secretBoxFromConfig } from "./secret-box";

const KEY = "k".repeat(16) + "0123456789abcdef0123456789";

describe("secret box", () => {
  const dirs: string[] = [];
  const tempDir = () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "secret-box-"));
    dirs.push(dir);
    return dir;
  };
  afterEach(() => {
    for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
  });

  it("round-trips text and bytes, with a fresh IV each time", () => {
    const box = createSecretBox(() => KEY);
    const a = box.seal("api secret ✓", "provider_credentials:offblocks");
    const b = box.seal("api secret ✓", "provider_credentials:offblocks");
    expect(a.equals(b)).toBe(false);
    expect(a.includes(Buffer.from("api secret"))).toBe(false);
    expect(box.openText(a, "provider_credentials:offblocks")).toBe("api secret ✓");
    expect(box.open(box.seal(new Uint8Array([0, 1, 2, 255]))).equals(Buffer.from([0, 1, 2, 255]))).toBe(true);
  });

  it("refuses tampered data, a wrong context and a wrong key", () => {
    const box = createSecretBox(() => KEY);
    const sealed = box.seal("secret", "ctx");
    for (const index of [0, 5, 20, sealed.length - 1]) {
      const tampered = Buffer.from(sealed);
      tampered[index] = tampered[index]! ^ 0x01;
      expect(() => box.open(tampered, "ctx")).toThrow(AppError);
    }
    expect(() => box.open(sealed, "other")).toThrow(/could not be decrypted/);
    expect(() => box.open(sealed)).toThrow(AppError);
    expect(() => box.open(sealed.subarray(0, 10), "ctx")).toThrow(/malformed/);
    expect(() => createSecretBox(() => `${KEY}x`).open(sealed, "ctx")).toThrow(AppError);
  });

  it("refuses short key material", () => {
    expect(() => createSecretBox(() => "short")).toThrow(/at least 32/);
  });

  it("generates the sandbox data key once, mode 0600, and reuses it", () => {
    const dir = path.join(tempDir(), "nested");
    const first = fileDataKey(dir);
    expect(first.length).toBeGreaterThanOrEqual(32);
    expect(fs.statSync(path.join(dir, DATA_KEY_FILE)).mode & 0o777).toBe(0o600);
    expect(fileDataKey(dir)).toBe(first);
    const sealed = secretBoxFromConfig({ dataKey: undefined, dataDir: dir, sandbox: { enabled: true } }).seal("x");
    expect(secretBoxFromConfig({ dataKey: undefined, dataDir: dir, sandbox: { enabled: true } }).openText(sealed)).toBe("x");
  });

  it("prefers DATA_KEY and demands it outside sandbox mode", () => {
    const dir = tempDir();
    expect(dataKeySource({ dataKey: KEY, dataDir: dir, sandbox: { enabled: true } })()).toBe(KEY);
    expect(fs.existsSync(path.join(dir, DATA_KEY_FILE))).toBe(false);
    const missing = dataKeySource({ dataKey: undefined, dataDir: dir, sandbox: { enabled: false } });
    expect(missing).toThrow(expect.objectContaining({ code: "data_key_missing" }));
  });

  it("fingerprints a secret with a key: equal for equal input, nothing like a plain hash", async () => {
    const { createHash } = await import("node:crypto");
    const box = createSecretBox(() => "k".repeat(32));
    const other = createSecretBox(() => "j".repeat(32));
    expect(box.fingerprint("s3cret", "ctx")).toBe(box.fingerprint("s3cret", "ctx"));
    expect(box.fingerprint("s3cret", "ctx")).not.toBe(box.fingerprint("s3cret", "other"));
    expect(box.fingerprint("s3cret", "ctx")).not.toBe(other.fingerprint("s3cret", "ctx"));
    expect(box.fingerprint("s3cret", "ctx")).not.toBe(createHash("sha256").update("s3cret").digest("hex"));
  });
});
