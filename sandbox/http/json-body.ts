/** Parses the raw request body as JSON and validates it with a zod schema: 400 `invalid_request` otherwise. */
import type { Context } from "hono";
import type { z } from "zod";
import type { SandboxEnv } from "./env";
import { SANDBOX_ERROR, SandboxHttpError } from "./errors";

export function describeIssues(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return "Invalid request body";
  const where = issue.path.length > 0 ? issue.path.map(String).join(".") : "body";
  return `${where}: ${issue.message}`;
}

export function parseJsonBody<S extends z.ZodType>(c: Context<SandboxEnv>, schema: S): z.infer<S> {
  const raw = c.get("rawBody");
  if (raw.byteLength === 0) throw new SandboxHttpError(400, SANDBOX_ERROR.invalidRequest, "A JSON body is required");
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(raw));
  } catch {
    throw new SandboxHttpError(400, SANDBOX_ERROR.invalidRequest, "Request body is not valid JSON");
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new SandboxHttpError(400, SANDBOX_ERROR.invalidRequest, describeIssues(parsed.error));
  return parsed.data;
}
