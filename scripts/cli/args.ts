/**
 * Flag parsing shared by the commands: `node:util` parseArgs in strict mode (unknown flags and missing
 * values are refused), its errors turned into one readable UsageError line, and the value checks the
 * commands have in common (0x-hex, ISO 8601 instants, files).
 */
import fs from "node:fs";
import { parseArgs, type ParseArgsConfig } from "node:util";
import type { CliIo } from "./command";
import { UsageError } from "./command";

type Options = NonNullable<ParseArgsConfig["options"]>;

export interface Parsed<O extends Options> {
  values: { [K in keyof O]?: O[K]["type"] extends "boolean" ? boolean : string };
  positionals: string[];
}

export function parseFlags<O extends Options>(args: readonly string[], options: O, command: string): Parsed<O> {
  try {
    const { values, positionals } = parseArgs({ args: [...args], options, strict: true, allowPositionals: true });
    return { values: values as Parsed<O>["values"], positionals };
  } catch (error) {
    throw new UsageError(`${command}: ${describeParseError(error)}`);
  }
}

function describeParseError(error: unknown): string {
  const code = (error as { code?: string }).code;
  const text = error instanceof Error ? error.message : String(error);
  if (code === "ERR_PARSE_ARGS_UNKNOWN_OPTION") {
    const flag = /'([^']+)'/.exec(text)?.[1];
    return `unknown flag ${flag ?? ""}`.trim();
  }
  if (code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE") {
    const flag = /'(--[^ ']+)/.exec(text)?.[1];
    return flag ? `${flag} needs a value` : (text.split("\n")[0] ?? text);
  }
  return text.split("\n")[0] ?? text;
}

export function required(value: string | undefined, flag: string, command: string): string {
  if (value === undefined || value === "") throw new UsageError(`${command}: ${flag} is required`);
  return value;
}

export function noPositionals(positionals: readonly string[], command: string): void {
  if (positionals.length > 0) throw new UsageError(`${command}: unexpected argument ${JSON.stringify(positionals[0])}`);
}

/** `0x` followed by an even, non-zero number of hex digits. */
export function hexArgument(value: string, what: string): `0x${string}` {
  if (!/^0x(?:[0-9a-fA-F]{2})+$/.test(value)) {
    throw new UsageError(`${what} must be 0x followed by hex bytes, got ${preview(value)}`);
  }
  return value as `0x${string}`;
}

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2}))?$/i;

/** An ISO 8601 date, or date and time with a zone (`Z` or `±hh:mm`): a local time would be ambiguous. */
export function instantArgument(value: string, flag: string): Date {
  const date = new Date(value);
  if (!ISO_INSTANT.test(value) || Number.isNaN(date.getTime())) {
    throw new UsageError(`${flag} must be an ISO 8601 time with a zone, e.g. 2024-01-17T18:30:00Z; got ${preview(value)}`);
  }
  return date;
}

/** A file's text, or standard input for `-`. */
export async function readTextArgument(file: string, flag: string, io: CliIo): Promise<string> {
  if (file === "-") return io.readStdin();
  try {
    return await fs.promises.readFile(file, "utf8");
  } catch (error) {
    const code = (error as { code?: string }).code;
    const why = code === "ENOENT" ? "no such file" : code === "EISDIR" ? "it is a directory" : code === "EACCES" ? "permission denied" : (code ?? "unreadable");
    throw new UsageError(`${flag}: cannot read ${file}: ${why}`);
  }
}

/** A value quoted for an error line, shortened so one line stays one line. */
export function preview(value: string): string {
  const oneLine = value.replace(/\s+/g, " ");
  return JSON.stringify(oneLine.length > 40 ? `${oneLine.slice(0, 37)}...` : oneLine);
}
