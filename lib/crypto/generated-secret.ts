/**
 * Secrets the app generates for itself in sandbox mode (the data key, the session password): a random value
 * kept in a file of DATA_DIR (mode 0600), created on first use, safe against a concurrent creator (instances of
 * a fleet starting at once on one DATA_DIR): the value is written to a file of its own and then linked into
 * place, which fails if another got there first, so nobody ever reads a file that is created but not yet
 * written.
 */
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { AppError } from "../errors";

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
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const generated = randomBytes(32).toString("base64url");
  const draft = `${file}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
  fs.writeFileSync(draft, `${generated}\n`, { mode: 0o600, flag: "wx" });
  try {
    fs.linkSync(draft, file);
    return generated;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return read();
    throw error;
  } finally {
    fs.rmSync(draft, { force: true });
  }
}
