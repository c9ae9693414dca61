/**
 * The CLI's dispatcher: finds the command whose words start the arguments, runs it, and turns every
 * failure into an exit code and one line on stderr (never a stack trace). `help` and no arguments print
 * the usage; `<command> --help` or `help <command>` print a command's details.
 */
import { COMMANDS } from "./commands";
import { EXIT, UsageError, type CliIo, type Command } from "./command";

const PROGRAM = "npm run cli --";

export function usage(commands: readonly Command[] = COMMANDS): string {
  const width = Math.max(...commands.map((c) => c.path.join(" ").length));
  return [
    `Usage: ${PROGRAM} <command> [options]`,
    "",
    "Commands:",
    ...commands.map((c) => `  ${c.path.join(" ").padEnd(width)}  ${c.summary}`),
    `  ${"help".padEnd(width)}  print this, or \`help <command>\` for a command's options`,
    "",
    ...commands.map((c) => `  ${PROGRAM} ${c.path.join(" ")} ${c.synopsis}`),
  ].join("\n");
}

export function commandHelp(command: Command): string {
  const lines = [`Usage: ${PROGRAM} ${command.path.join(" ")} ${command.synopsis}`, "", command.summary];
  if (command.details) lines.push("", command.details);
  return lines.join("\n");
}

/** The command whose words are the longest prefix of `argv`. */
export function findCommand(argv: readonly string[], commands: readonly Command[] = COMMANDS): Command | undefined {
  let best: Command | undefined;
  for (const command of commands) {
    const matches = command.path.every((word, i) => argv[i] === word);
    if (matches && (!best || command.path.length > best.path.length)) best = command;
  }
  return best;
}

function unknown(argv: readonly string[], commands: readonly Command[]): string {
  const words = argv.filter((a) => !a.startsWith("-"));
  // a known group without (or with an unknown) subcommand: name the subcommands it has
  const group = commands.filter((c) => c.path[0] === words[0]);
  if (group.length > 0) {
    const choices = group.map((c) => c.path.slice(1).join(" ")).join(", ");
    const sub = words[1] === undefined ? "needs a subcommand" : `has no subcommand ${JSON.stringify(words[1])}`;
    return `error: ${words[0]} ${sub} (one of: ${choices}); see \`${PROGRAM} help\``;
  }
  return `error: unknown command ${JSON.stringify(argv[0])}; see \`${PROGRAM} help\``;
}

const isHelpFlag = (arg: string) => arg === "--help" || arg === "-h";

export async function main(argv: readonly string[], io: CliIo, commands: readonly Command[] = COMMANDS): Promise<number> {
  const first = argv[0];
  if (first === undefined || first === "help" || isHelpFlag(first)) {
    const topic = first === "help" ? findCommand(argv.slice(1), commands) : undefined;
    if (first === "help" && argv.length > 1 && !topic) {
      io.stderr(unknown(argv.slice(1), commands));
      return EXIT.usage;
    }
    io.stdout(topic ? commandHelp(topic) : usage(commands));
    return EXIT.ok;
  }
  const command = findCommand(argv, commands);
  if (!command) {
    io.stderr(unknown(argv, commands));
    return EXIT.usage;
  }
  const args = argv.slice(command.path.length);
  if (args.some(isHelpFlag)) {
    io.stdout(commandHelp(command));
    return EXIT.ok;
  }
  try {
    return await command.run(args, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`error: ${error.message}`);
      return EXIT.usage;
    }
    const text = error instanceof Error ? error.message : String(error);
    io.stderr(`error: ${command.path.join(" ")} failed: ${text.split("\n")[0] ?? text}`);
    return EXIT.usage;
  }
}
