import { describe, expect, it } from "vitest";
import { unblockText } from "./labels";

describe("unblockText", () => {
  it("names the Unblock step the same way in the list and the detail: the account once open, with the session's state", () => {
    expect(unblockText({ status: "user_created" })).toBe("user created");
    expect(unblockText({ status: "session_active" })).toBe("session active");
    const account = { currency: "EUR" as const, iban: "DE89370400440532013000", bic: "COBADEFFXXX" };
    expect(unblockText({ status: "session_active", account } as Parameters<typeof unblockText>[0])).toBe("EUR account open (session active)");
    expect(unblockText({ status: "session_expired", account } as Parameters<typeof unblockText>[0])).toBe("EUR account open (session expired)");
  });
});
