/**
 * The users' virtual accounts (ours: the shape is BankAccountSchema): EUR → a Lithuanian-format IBAN
 * (LTkk BBBBB CCCCCCCCCCC, 20 characters) with correct ISO 13616 mod-97 check digits and a BIC; GBP → a
 * 6-digit sort code and an 8-digit account number. Random, made once per user and currency.
 */
import { randomInt } from "node:crypto";
import type { BankAccount } from "@/lib/providers/unblock/types";

/** ours: the emulator's pretend bank (Lithuanian bank code, BIC, UK sort code). */
export const SANDBOX_BANK = {
  ibanCountry: "LT",
  bankCode: "39900",
  bic: "UNBLLT22XXX",
  sortCode: "040099",
} as const;

function digits(count: number): string {
  let out = "";
  for (let i = 0; i < count; i++) out += String(randomInt(10));
  return out;
}

/** Letters → 10..35, as ISO 13616 asks. */
function ibanNumeric(text: string): string {
  return text
    .toUpperCase()
    .split("")
    .map((ch) => (/[A-Z]/.test(ch) ? String(ch.charCodeAt(0) - 55) : ch))
    .join("");
}

function mod97(numeric: string): number {
  let remainder = 0;
  for (const ch of numeric) remainder = (remainder * 10 + Number(ch)) % 97;
  return remainder;
}

export function ibanCheckDigits(country: string, bban: string): string {
  const check = 98 - mod97(ibanNumeric(`${bban}${country}00`));
  return String(check).padStart(2, "0");
}

/** True when the IBAN's check digits are right (mod 97 of the rearranged number is 1). */
export function isValidIban(iban: string): boolean {
  const compact = iban.replace(/ /g, "").toUpperCase();
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]{11,30}$/.test(compact)) return false;
  return mod97(ibanNumeric(compact.slice(4) + compact.slice(0, 4))) === 1;
}

export function makeIban(country: string = SANDBOX_BANK.ibanCountry, bankCode: string = SANDBOX_BANK.bankCode): string {
  const bban = `${bankCode}${digits(11)}`;
  return `${country}${ibanCheckDigits(country, bban)}${bban}`;
}

export function makeBankAccount(currency: BankAccount["currency"], accountHolder: string): BankAccount {
  if (currency === "EUR") {
    return { currency, iban: makeIban(), bic: SANDBOX_BANK.bic, account_holder: accountHolder };
  }
  return { currency, sort_code: SANDBOX_BANK.sortCode, account_number: digits(8), account_holder: accountHolder };
}
