/**
 * Parsing a provider's answer with its wire schema, the same for every provider: a mismatch is the provider's
 * fault (502 `<provider>_bad_response`) and names the first field that did not fit.
 */
import type { z } from "zod";
import { AppError } from "../errors";

export type AnswerParser = <T extends z.ZodType>(schema: T, body: unknown, what: string) => z.infer<T>;

/** The provider's `parseAnswer`: `code` is its bad-response error code, `name` how messages call it. */
export function answerParser(code: string, name: string): AnswerParser {
  return (schema, body, what) => {
    const parsed = schema.safeParse(body);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue ? `${issue.path.join(".") || "body"}: ${issue.message}` : "unexpected shape";
      throw new AppError(code, 502, `${name} sent an unexpected ${what} answer (${where})`);
    }
    return parsed.data;
  };
}
