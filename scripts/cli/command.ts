/**
 * What a CLI command is, and the one error type that means "unusable input" (exit 2, one line on stderr).
 * Each command lives in its own file in this folder and is listed once in `commands.ts`.
 */

/** Where a command writes: the process's streams in real use, buffers in tests. */
export interface CliIo {
  stdout: (line: string) => void;
  stderr: (line: string) => void;
  /** standard input as text (for `--message -`) */
  readStdin: () => Promise<string>;
}

export interface Command {
  /** the words that select it, e.g. `["siwe", "verify"]` */
  path: readonly string[];
  /** the arguments after the words, as shown in the usage, e.g. `--message <file> --signature <0xhex>` */
  synopsis: string;
  /** one sentence: what it does */
  summary: string;
  /** longer help, shown by `<command> --help` (options, exit codes) */
  details?: string;
  /** runs with the arguments after the words; resolves to the exit code */
  run: (args: readonly string[], io: CliIo) => Promise<number>;
}

/** Exit codes shared by every command. */
export const EXIT = { ok: 0, negative: 1, usage: 2 } as const;

/** Input the command cannot work with: a missing file, a malformed value, an unknown flag. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}
