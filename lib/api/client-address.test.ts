import { describe, expect, it } from "vitest";
import { CLIENT_ADDRESS_HEADER, clientAddressOf, requestClientAddress } from "./client-address";

describe("the client address", () => {
  it("is the socket's address when no proxy is trusted, whatever X-Forwarded-For says", () => {
    expect(clientAddressOf(undefined, "203.0.113.7", 0)).toBe("203.0.113.7");
    expect(clientAddressOf("198.51.100.1", "203.0.113.7", 0)).toBe("203.0.113.7");
    expect(clientAddressOf(undefined, "::ffff:127.0.0.1", 0)).toBe("127.0.0.1");
    expect(clientAddressOf(undefined, undefined, 0)).toBe("unknown");
  });

  it("behind one trusted proxy is the address that proxy saw (the last entry), not what the client wrote before it", () => {
    expect(clientAddressOf("198.51.100.1", "10.0.0.2", 1)).toBe("198.51.100.1");
    expect(clientAddressOf("6.6.6.6, 198.51.100.1", "10.0.0.2", 1)).toBe("198.51.100.1");
    expect(clientAddressOf("6.6.6.6, 198.51.100.1, 10.0.0.9", "10.0.0.2", 2)).toBe("198.51.100.1");
  });

  it("with more trusted hops than entries is the first entry; without the header the socket", () => {
    expect(clientAddressOf("198.51.100.1", "10.0.0.2", 5)).toBe("198.51.100.1");
    expect(clientAddressOf(undefined, "10.0.0.2", 1)).toBe("10.0.0.2");
    expect(clientAddressOf(" , ", "10.0.0.2", 1)).toBe("10.0.0.2");
  });

  it("is read from the server's stamp, else from Next's own X-Forwarded-For", () => {
    expect(requestClientAddress(new Headers({ [CLIENT_ADDRESS_HEADER]: "203.0.113.7", "x-forwarded-for": "1.1.1.1" }))).toBe("203.0.113.7");
    expect(requestClientAddress(new Headers({ "x-forwarded-for": "::ffff:127.0.0.1" }))).toBe("127.0.0.1");
  });
});
