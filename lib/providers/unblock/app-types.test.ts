/** The app's Unblock types ↔ Unblock's wire format: each field lands under its name on the other side. */
import { describe, expect, it } from "vitest";
import { fromWireAccount, fromWireSession, fromWireUser, toWireUser } from "./app-types";

describe("Unblock app types ↔ wire", () => {
  it("sends a new user in Unblock's field names", () => {
    expect(toWireUser({ firstName: "Ada", lastName: "Lovelace", email: "ada@example.test", country: "GB", signInAddress: "0xabc" })).toEqual({
      first_name: "Ada",
      last_name: "Lovelace",
      email: "ada@example.test",
      country: "GB",
      sign_in_crypto_address: "0xabc",
    });
    expect(toWireUser({ firstName: "Ada", lastName: "Lovelace", email: "ada@example.test", country: "GB" })).not.toHaveProperty("sign_in_crypto_address");
  });

  it("reads users, sessions and both kinds of account in the app's names", () => {
    const userId = "5f0c7c1e-8d4a-4b7e-9a51-2f3c4d5e6f70";
    expect(
      fromWireUser({ user_uuid: userId, status: "x", first_name: "Ada", last_name: "L", email: "e", country: "GB", sign_in_crypto_address: null }),
    ).toEqual({
      userId,
      status: "x",
      firstName: "Ada",
      lastName: "L",
      email: "e",
      country: "GB",
      signInAddress: null,
    });
    expect(fromWireSession({ user_uuid: userId, unblock_session_id: "s" })).toEqual({ userId, sessionId: "s" });
    expect(fromWireAccount({ currency: "EUR", iban: "DE1", bic: "B", account_holder: "Ada" })).toEqual({
      currency: "EUR",
      iban: "DE1",
      bic: "B",
      accountHolder: "Ada",
    });
    expect(fromWireAccount({ currency: "GBP", sort_code: "123456", account_number: "1", account_holder: "Ada" })).toEqual({
      currency: "GBP",
      sortCode: "123456",
      accountNumber: "1",
      accountHolder: "Ada",
    });
  });
});
