import { describe, expect, it } from "vitest";
import { csvCell, csvRow } from "./csv";

describe("CSV cells", () => {
  it.each([
    ["plain", "plain"],
    ["=1+1", "'=1+1"],
    ["+31 6 1234", "'+31 6 1234"],
    ["-5", "'-5"],
    ["@SUM(A1)", "'@SUM(A1)"],
    ["\tcmd", "'\tcmd"],
    ["\rcmd", '"\'\rcmd"'],
    ['=HYPERLINK("x")', `"'=HYPERLINK(""x"")"`],
    ["a,b", '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ["two\nlines", '"two\nlines"'],
    ["a=b", "a=b"],
  ])("%j becomes %j", (input, output) => {
    expect(csvCell(input)).toBe(output);
  });

  it("writes empty cells for null and numbers as they are, one CRLF-ended row", () => {
    expect(csvRow(["a", null, undefined, 300, -1])).toBe("a,,,300,'-1\r\n");
  });
});
