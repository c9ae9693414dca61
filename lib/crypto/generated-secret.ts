/**
 * Secrets the app generates for itself in sandbox mode (the data key, the session password): a random value
 * kept in a file of DATA_DIR (mode 0600), created on first use, safe against a concurrent creator (instances of
 * a fleet starting at once on one DATA_DIR: ./write-file-once.ts).
 */
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { AppError } from "../errors";
import { writeFileOnce } from "./write-file-once";

export function readOrCreateSecretFile(dataDir: string, fileName: string, minLength = 32): string {
  const file = path.join(dataDir, fileName);
  const read = () => {
    const stored = fs.readFileSync(file, "utf8").trim();
    if (stored.length < minLength) {
      throw new AppError("generated_secret_invalid", 500, `${file} holds fewer than ${minLength} characters; delete it to regenerate`);
    }
    return stored;
  };
  try {
    return read();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  const generated = randomBytes(32).toString("base64url");
  return writeFileOnce(file, `${generated}\n`) ? generated : read();
}
