/**
 * Creates a file of secret material exactly once, safe against concurrent creators (instances of a fleet
 * starting at once on one DATA_DIR): the content is written to a draft of its own (mode 0600) and then linked
 * into place, which fails if another got there first — so nobody ever reads a file that exists but is not yet
 * written. True when this call created it, false when one was there already (read that one).
 */
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

export function writeFileOnce(file: string, content: string): boolean {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const draft = `${file}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
  fs.writeFileSync(draft, content, { mode: 0o600, flag: "wx" });
  try {
    fs.linkSync(draft, file);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw error;
  } finally {
    fs.rmSync(draft, { force: true });
  }
}
