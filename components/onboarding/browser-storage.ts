/**
 * What a step keeps in this browser (a form's draft, a skipped step, an account asked for): read and written
 * without failing when storage is unavailable (private mode, blocked) — then it lasts for this visit only.
 */
type Where = "local" | "session";

const storage = (where: Where): Storage => (where === "local" ? window.localStorage : window.sessionStorage);

export function readStored(where: Where, key: string): string | null {
  try {
    return storage(where).getItem(key);
  } catch {
    return null;
  }
}

/** Stores `value`, or forgets the key when it is null. */
export function writeStored(where: Where, key: string, value: string | null): void {
  try {
    if (value === null) storage(where).removeItem(key);
    else storage(where).setItem(key, value);
  } catch {
    // storage unavailable: kept in memory only
  }
}
