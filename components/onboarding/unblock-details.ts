/**
 * The details Unblock needs to create the person (name, email, country): the empty form, what the browser can
 * check before asking the server, the server's field messages as sentences, and the draft kept in this
 * browser's session so a reload (or a sign-in again) does not lose what was typed.
 */
import { readStored, writeStored } from "./browser-storage";
import type { UnblockUserInput } from "./onboarding-types";

export type FieldName = keyof UnblockUserInput;
export type FieldErrors = Partial<Record<FieldName, string>>;

const DRAFT_KEY = "unblock-details";
export const EMPTY: UnblockUserInput = { firstName: "", lastName: "", email: "", country: "" };
export const FIELDS: readonly FieldName[] = ["firstName", "lastName", "email", "country"];
export const FIELD_LABEL: Record<FieldName, string> = { firstName: "First name", lastName: "Last name", email: "Email", country: "Country" };

export /** The server's `must be 2 to 48 characters` as `First name must be 2 to 48 characters.`; a full sentence stays as it is. */
function sentence(label: string, text: string): string {
  const trimmed = text.trim();
  const full = /^[a-z]/.test(trimmed) ? `${label} ${trimmed}` : trimmed;
  return /[.!?]$/.test(full) ? full : `${full}.`;
}

export function loadDraft(): UnblockUserInput {
  try {
    const raw = readStored("session", DRAFT_KEY);
    const parsed: unknown = raw ? JSON.parse(raw) : null;
    if (typeof parsed !== "object" || parsed === null) return EMPTY;
    const draft = parsed as Record<string, unknown>;
    return Object.fromEntries(FIELDS.map((f) => [f, typeof draft[f] === "string" ? draft[f] : ""])) as unknown as UnblockUserInput;
  } catch {
    return EMPTY;
  }
}

export function saveDraft(draft: UnblockUserInput | null): void {
  writeStored("session", DRAFT_KEY, draft ? JSON.stringify(draft) : null);
}

/** What the browser can tell before asking the server (which has the last word, field by field). */
export function checkDetails(input: UnblockUserInput): FieldErrors {
  const errors: FieldErrors = {};
  if (!input.firstName.trim()) errors.firstName = "Enter your first name.";
  if (!input.lastName.trim()) errors.lastName = "Enter your last name.";
  if (!input.email.trim()) errors.email = "Enter your email address.";
  else if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(input.email.trim())) errors.email = "Enter an email address like name@example.com.";
  if (!input.country) errors.country = "Choose your country.";
  return errors;
}
