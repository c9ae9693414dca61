/** IBAN check digits (ISO 13616 mod 97) and the account shapes. */
import { describe, expect, it } from "vitest";
import { ibanCheckDigits, isValidIban, makeBankAccount, makeIban } from "./bank-accounts";

describe("unblock: virtual bank accounts", () => {
  it("computes the check digits of known IBANs", () => {
    expect(ibanCheckDigits("DE", "370400440532013000")).toBe("89"); // DE89 3704 0044 0532 0130 00
    expect(ibanCheckDigits("GB", "WEST12345698765432")).toBe("82"); // GB82 WEST 1234 5698 7654 32
    expect(ibanCheckDigits("LT", "1000011101001000")).toBe("12"); // LT12 1000 0111 0100 1000
    expect(isValidIban("DE89 3704 0044 0532 0130 00")).toBe(true);
    expect(isValidIban("DE88370400440532013000")).toBe(false);
    expect(isValidIban("nonsense")).toBe(false);
  });

  it("makes valid, random IBANs and UK accounts", () => {
    const ibans = new Set(Array.from({ length: 50 }, () => makeIban()));
    expect(ibans.size).toBe(50);
    for (const iban of ibans) expect(isValidIban(iban), iban).toBe(true);
    const gbp = makeBankAccount("GBP", "Ada Lovelace");
    expect(gbp).toEqual({
      currency: "GBP",
      sort_code: expect.stringMatching(/^\d{6}$/),
      account_number: expect.stringMatching(/^\d{8}$/),
      account_holder: "Ada Lovelace",
    });
  });
});
