import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { secretMatches } from "./offblocks-handler";
import { offblocksWebhookUrl } from "./offblocks-registration";
import { offblocksWebhookSecret, WEBHOOK_SECRET_FILE } from "./webhook-secret";

describe("the OffBlocks webhook secret", () => {
  const dirs: string[] = [];
  const tempDir = () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "webhook-secret-"));
    dirs.push(dir);
    return dir;
  };
  afterEach(() => {
    for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
  });

  it("is OFFBLOCKS_WEBHOOK_SECRET when set", () => {
    const dir = tempDir();
    const secret = "s".repeat(40);
    expect(offblocksWebhookSecret({ offblocks: { webhookSecret: secret }, dataDir: dir, sandbox: { enabled: true } })).toBe(secret);
    expect(fs.existsSync(path.join(dir, WEBHOOK_SECRET_FILE))).toBe(false);
  });

  it("is generated once into DATA_DIR (mode 0600, URL-safe) in sandbox mode", () => {
    const dir = path.join(tempDir(), "nested");
    const settings = { offblocks: {}, dataDir: dir, sandbox: { enabled: true } };
    const first = offblocksWebhookSecret(settings);
    expect(first).toMatch(/^[A-Za-z0-9_-]{32,}$/);
    expect(offblocksWebhookSecret(settings)).toBe(first);
    expect(fs.statSync(path.join(dir, WEBHOOK_SECRET_FILE)).mode & 0o777).toBe(0o600);
  });

  it("is required outside sandbox mode", () => {
    expect(() => offblocksWebhookSecret({ offblocks: {}, dataDir: tempDir(), sandbox: { enabled: false } })).toThrow(
      expect.objectContaining({ code: "webhook_secret_missing" }),
    );
  });

  it("is compared in constant time, whatever the lengths", () => {
    expect(secretMatches("a".repeat(40), "a".repeat(40))).toBe(true);
    for (const given of ["", "a", "a".repeat(39), "a".repeat(41), "b".repeat(40)]) expect(secretMatches(given, "a".repeat(40))).toBe(false);
    expect(secretMatches("", "")).toBe(false);
  });

  it("is the last segment of PUBLIC_URL/api/webhooks/offblocks/", () => {
    expect(offblocksWebhookUrl("https://app.example/", "abc_DEF-123")).toBe("https://app.example/api/webhooks/offblocks/abc_DEF-123");
  });
});
