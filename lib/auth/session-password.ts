/**
 * The iron-session password: SESSION_PASSWORD when set; in sandbox mode without it, a random password
 * generated once into `<dataDir>/session-password` (mode 0600), so a fresh clone signs in with no set-up and
 * sessions survive a restart; outside sandbox mode a missing SESSION_PASSWORD is a configuration error.
 * (The same pattern as DATA_KEY in lib/crypto/secret-box.ts.)
 */
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { AppError } from "../errors";

export const SESSION_PASSWORD_FILE = "session-password";
export const MIN_SESSION_PASSWORD_LENGTH = 32;

export interface SessionPasswordSettings {
  sessionPassword: string | undefined;
  dataDir: string;
  sandbox: { enabled: boolean };
}

/** Reads `<dataDir>/session-password`, creating it (random, mode 0600) on first use. Safe against a concurrent creator. */
export function fileSessionPassword(dataDir: string): string {
  const file = path.join(dataDir, SESSION_PASSWORD_FILE);
  try {
    const stored = fs.readFileSync(file, "utf8").trim();
    if (stored.length >= MIN_SESSION_PASSWORD_LENGTH) return stored;
    throw new AppError("session_password_invalid", 500, `${file} holds fewer than ${MIN_SESSION_PASSWORD_LENGTH} characters; delete it to regenerate`);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const generated = randomBytes(32).toString("base64url");
  try {
    fs.writeFileSync(file, `${generated}\n`, { mode: 0o600, flag: "wx" });
    return generated;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return fs.readFileSync(file, "utf8").trim();
    throw error;
  }
}

export function sessionPassword(settings: SessionPasswordSettings): string {
  if (settings.sessionPassword) return settings.sessionPassword;
  if (settings.sandbox.enabled) return fileSessionPassword(settings.dataDir);
  throw new AppError(
    "session_password_missing",
    500,
    "SESSION_PASSWORD must be set (at least 32 random characters) when real provider credentials are configured",
  );
}
