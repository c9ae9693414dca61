/** Reads a request body at the edge: at most 64 KiB, JSON with no NUL character, validated with zod — or a 4xx AppError. */
import type { z } from "zod";
import { AppError } from "../errors";

export const MAX_BODY_BYTES = 64 * 1024;

export async function readJsonBody<S extends z.ZodType>(request: Request, schema: S): Promise<z.infer<S>> {
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > MAX_BODY_BYTES) throw new AppError("payload_too_large", 413, "The request body is larger than 64 KiB.");
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await request.arrayBuffer());
  } catch {
    // the client went away (or broke the stream) while sending: its fault, not a server error
    throw new AppError("body_unreadable", 400, "The request body could not be read completely.");
  }
  if (bytes.byteLength > MAX_BODY_BYTES) throw new AppError("payload_too_large", 413, "The request body is larger than 64 KiB.");
  let value: unknown = {};
  if (bytes.byteLength > 0) {
    try {
      value = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
    } catch {
      throw new AppError("invalid_json", 400, "The request body is not valid JSON.");
    }
  }
  // Postgres refuses NUL in text: a 400 here rather than a database error later
  if (JSON.stringify(value).includes("\\u0000")) throw new AppError("invalid_request", 400, "The request body must not contain NUL characters.");
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? `${issue.path.join(".")}: ` : "";
    throw new AppError("invalid_request", 400, `${where}${issue?.message ?? "invalid body"}`);
  }
  return parsed.data;
}
