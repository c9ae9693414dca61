/**
 * A `bloq client-keys <verb>` command: its words, no flags, its arguments checked first (unusable input is exit 2
 * before Bloq is asked), then its work with the merchant's Bloq account (a refusal: one line and exit 1; done:
 * exit 0).
 */
import type { BloqAccounts } from "../../lib/providers/bloq";
import { parseFlags } from "./args";
import { withBloq } from "./bloq-account";
import { EXIT, type CliIo, type Command } from "./command";

export function bloqClientKeysCommand<Input>(spec: {
  verb: string;
  synopsis: string;
  summary: string;
  details: string;
  /** the positional arguments checked (throws UsageError), as what `work` needs */
  input: (positionals: readonly string[], name: string) => Input;
  work: (accounts: BloqAccounts, input: Input, io: CliIo) => Promise<void>;
}): Command {
  const name = `bloq client-keys ${spec.verb}`;
  return {
    path: ["bloq", "client-keys", spec.verb],
    synopsis: spec.synopsis,
    summary: spec.summary,
    details: spec.details,
    async run(args, io) {
      const input = spec.input(parseFlags(args, {}, name).positionals, name);
      return withBloq(name, io, async (accounts) => {
        await spec.work(accounts, input, io);
        return EXIT.ok;
      });
    },
  };
}
