import { describe, expect, it } from "vitest";
import { redactSecrets } from "./log-redaction";

describe("console redaction", () => {
  it("hides the webhook path's secret segment and every secret value", () => {
    const line = "Request body exceeded 10MB for /api/webhooks/offblocks/iZMR24UT3SwC8wCy4ohTF9VE2YABZNpEjUWMQcVgFqo. Only the first 10MB…";
    expect(redactSecrets(line, [])).toBe("Request body exceeded 10MB for /api/webhooks/offblocks/[redacted]. Only the first 10MB…");
    expect(redactSecrets("key sk_live_abcdefgh used twice: sk_live_abcdefgh", ["sk_live_abcdefgh"])).toBe("key [redacted] used twice: [redacted]");
    expect(redactSecrets("GET /api/health 200", ["sk_live_abcdefgh"])).toBe("GET /api/health 200");
  });
});
