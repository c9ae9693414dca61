/** The shared provider answer parser: the parsed value, or 502 with the provider's code naming the first misfit. */
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { appErrorOf } from "../../testing/app-error-of";
import { answerParser } from "./parse-answer";

const parseAnswer = answerParser("acme_bad_response", "Acme");
const Schema = z.object({ id: z.string(), items: z.array(z.number()) });

describe("answerParser", () => {
  it("answers the parsed value", () => {
    expect(parseAnswer(Schema, { id: "a", items: [1] }, "thing")).toEqual({ id: "a", items: [1] });
  });

  it("refuses a misfit as the provider's fault, naming the field", async () => {
    const error = await appErrorOf(Promise.resolve().then(() => parseAnswer(Schema, { id: "a", items: ["x"] }, "thing")));
    expect(error).toMatchObject({ code: "acme_bad_response", status: 502 });
    expect(error.message).toMatch(/^Acme sent an unexpected thing answer \(items\.0: /);
  });

  it("names the body when the answer is not an object", async () => {
    const error = await appErrorOf(Promise.resolve().then(() => parseAnswer(Schema, "oops", "thing")));
    expect(error.message).toMatch(/\(body: /);
  });
});
