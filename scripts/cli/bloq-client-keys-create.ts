/** `bloq client-keys create`: a new Bloq client key; its secret is printed this once (Bloq never shows it again). */
import { noPositionals, parseFlags } from "./args";
import { EXIT, type Command } from "./command";
import { withBloq } from "./bloq-account";

const NAME = "bloq client-keys create";

export const bloqClientKeysCreate: Command = {
  path: ["bloq", "client-keys", "create"],
  synopsis: "",
  summary: "create a Bloq client key with the merchant's account login (BLOQ_EMAIL/BLOQ_PASSWORD); prints its secret once",
  details:
    "Prints BLOQ_CLIENT_ID=… and BLOQ_CLIENT_SECRET=… on stdout: store the secret now (e.g. as BLOQ_CLIENT_SECRET\n" +
    "in the server's environment); Bloq never shows it again.\nExit 0 created, 1 Bloq refused or is unreachable, 2 unusable input.",
  async run(args, io) {
    noPositionals(parseFlags(args, {}, NAME).positionals, NAME);
    return withBloq(NAME, io, async (accounts) => {
      const key = await accounts.createClientKey();
      io.stdout(`BLOQ_CLIENT_ID=${key.clientId}`);
      io.stdout(`BLOQ_CLIENT_SECRET=${key.clientSecret}`);
      io.stderr("warning: this is the only time the client secret is shown; store it now (e.g. as BLOQ_CLIENT_SECRET).");
      return EXIT.ok;
    });
  },
};
