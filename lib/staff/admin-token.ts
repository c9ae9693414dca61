/**
 * The local administration token: a random secret the app keeps in DATA_DIR/admin-token (mode 0600, made at
 * start). Whoever can read the app's data directory — the operator at the machine — may manage staff
 * through /api/admin/staff with it; that is how `npm run cli -- staff …` works while the app holds the
 * embedded (single-process) database. Nothing in a browser ever sees it.
 */
import { timingSafeEqual } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { readOrCreateSecretFile } from "../crypto/generated-secret";
import { AppError } from "../errors";

export const ADMIN_TOKEN_FILE = "admin-token";

export function ensureAdminToken(dataDir: string): string {
  return readOrCreateSecretFile(dataDir, ADMIN_TOKEN_FILE);
}

/** The token, or undefined when the app has not made one (it was never started with this DATA_DIR). */
export function readAdminToken(dataDir: string): string | undefined {
  try {
    return fs.readFileSync(path.join(dataDir, ADMIN_TOKEN_FILE), "utf8").trim() || undefined;
  } catch {
    return undefined;
  }
}

/** 401 `admin_token_invalid` unless `authorization` is `Bearer <the token>` (compared in constant time). */
export function requireAdminToken(authorization: string | null, dataDir: string): void {
  const expected = readAdminToken(dataDir);
  const given = /^Bearer (\S+)$/.exec(authorization ?? "")?.[1];
  const ok = !!expected && !!given && given.length === expected.length && timingSafeEqual(Buffer.from(given), Buffer.from(expected));
  if (!ok) throw new AppError("admin_token_invalid", 401, "This needs the administration token in DATA_DIR/admin-token.");
}
