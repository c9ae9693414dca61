import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { SESSION_PASSWORD_FILE, sessionPassword } from "./session-password";

describe("the session password", () => {
  const dirs: string[] = [];
  const tempDir = () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "session-password-"));
    dirs.push(dir);
    return dir;
  };
  afterEach(() => {
    for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
  });

  it("is SESSION_PASSWORD when set", () => {
    const dir = tempDir();
    expect(sessionPassword({ sessionPassword: "x".repeat(40), dataDir: dir, sandbox: { enabled: true } })).toBe("x".repeat(40));
    expect(fs.existsSync(path.join(dir, SESSION_PASSWORD_FILE))).toBe(false);
  });

  it("is generated once into DATA_DIR (mode 0600) in sandbox mode", () => {
    const dir = path.join(tempDir(), "nested");
    const first = sessionPassword({ sessionPassword: undefined, dataDir: dir, sandbox: { enabled: true } });
    expect(first.length).toBeGreaterThanOrEqual(32);
    expect(sessionPassword({ sessionPassword: undefined, dataDir: dir, sandbox: { enabled: true } })).toBe(first);
    expect(fs.statSync(path.join(dir, SESSION_PASSWORD_FILE)).mode & 0o777).toBe(0o600);
  });

  it("is required outside sandbox mode", () => {
    expect(() => sessionPassword({ sessionPassword: undefined, dataDir: tempDir(), sandbox: { enabled: false } })).toThrow(
      expect.objectContaining({ code: "session_password_missing" }),
    );
  });
});
