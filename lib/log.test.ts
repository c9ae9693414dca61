import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { createLogger } from "./log";

describe("logger", () => {
  it("redacts secrets wherever they sit in a log line", () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _enc, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const log = createLogger({ level: "info" }, sink);
    log.info({ apiSecret: "s3cr3t", request: { headers: { authorization: "Bearer abc.def" } }, body: { token: "tok" } }, "call");
    const out = lines.join("");
    expect(out).toContain('"msg":"call"');
    expect(out).not.toContain("s3cr3t");
    expect(out).not.toContain("abc.def");
    expect(out).not.toContain('"tok"');
    expect(out).toContain("[redacted]");
  });
});
