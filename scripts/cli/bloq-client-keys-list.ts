/** `bloq client-keys list`: the merchant's Bloq client keys, ids and creation dates only (never a secret). */
import { noPositionals, parseFlags } from "./args";
import { EXIT, type Command } from "./command";
import { withBloq } from "./bloq-account";

const NAME = "bloq client-keys list";

export const bloqClientKeysList: Command = {
  path: ["bloq", "client-keys", "list"],
  synopsis: "",
  summary: "list the Bloq client keys (id and creation date; secrets are never shown again)",
  details: "One line per key: `<id>  <createdAt>`; nothing when there is none.\nExit 0 listed, 1 Bloq refused or is unreachable, 2 unusable input.",
  async run(args, io) {
    noPositionals(parseFlags(args, {}, NAME).positionals, NAME);
    return withBloq(NAME, io, async (accounts) => {
      for (const key of await accounts.listClientKeys()) io.stdout(`${key.id}  ${key.createdAt}`);
      return EXIT.ok;
    });
  },
};
