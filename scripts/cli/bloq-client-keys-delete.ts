/** `bloq client-keys delete <id>`: revokes a Bloq client key (its refresh tokens stop working). */
import { noPositionals, parseFlags, preview } from "./args";
import { EXIT, UsageError, type Command } from "./command";
import { withBloq } from "./bloq-account";

const NAME = "bloq client-keys delete";

export const bloqClientKeysDelete: Command = {
  path: ["bloq", "client-keys", "delete"],
  synopsis: "<id>",
  summary: "delete a Bloq client key (the app stops getting tokens with it)",
  details: "  <id>   the key's id, as `bloq client-keys list` shows it\nExit 0 deleted, 1 Bloq refused (e.g. unknown id) or is unreachable, 2 unusable input.",
  async run(args, io) {
    const [id, ...rest] = parseFlags(args, {}, NAME).positionals;
    if (id === undefined) throw new UsageError(`${NAME}: the key id is required, e.g. ${NAME} <id> (see bloq client-keys list)`);
    noPositionals(rest, NAME);
    if (!/^[A-Za-z0-9_-]{1,256}$/.test(id)) throw new UsageError(`${NAME}: not a client key id: ${preview(id)}`);
    return withBloq(NAME, io, async (accounts) => {
      await accounts.deleteClientKey(id);
      io.stdout(`deleted ${id}`);
      return EXIT.ok;
    });
  },
};
