/**
 * The iron-session password: SESSION_PASSWORD when set; in sandbox mode without it, a random password
 * generated once into `<dataDir>/session-password` (mode 0600), so a fresh clone signs in with no set-up and
 * sessions survive a restart; outside sandbox mode a missing SESSION_PASSWORD is a configuration error.
 * (The same pattern as DATA_KEY in lib/crypto/secret-box.ts.)
 */
import { readOrCreateSecretFile } from "../crypto/generated-secret";
import { AppError } from "../errors";

export const SESSION_PASSWORD_FILE = "session-password";
export const MIN_SESSION_PASSWORD_LENGTH = 32;

export interface SessionPasswordSettings {
  sessionPassword: string | undefined;
  dataDir: string;
  sandbox: { enabled: boolean };
}

/** Reads `<dataDir>/session-password`, creating it (random, mode 0600) on first use. */
export function fileSessionPassword(dataDir: string): string {
  return readOrCreateSecretFile(dataDir, SESSION_PASSWORD_FILE, MIN_SESSION_PASSWORD_LENGTH);
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
