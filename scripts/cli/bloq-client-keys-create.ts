/** `bloq client-keys create`: a new Bloq client key; its secret is printed this once (Bloq never shows it again). */
import { noPositionals } from "./args";
import { bloqClientKeysCommand } from "./bloq-client-keys-command";

export const bloqClientKeysCreate = bloqClientKeysCommand({
  verb: "create",
  synopsis: "",
  summary: "create a Bloq client key with the merchant's account login (BLOQ_EMAIL/BLOQ_PASSWORD); prints its secret once",
  details:
    "Prints BLOQ_CLIENT_ID=… and BLOQ_CLIENT_SECRET=… on stdout: store the secret now (e.g. as BLOQ_CLIENT_SECRET\n" +
    "in the server's environment); Bloq never shows it again.\nExit 0 created, 1 Bloq refused or is unreachable, 2 unusable input.",
  input: noPositionals,
  async work(accounts, _input, io) {
    const key = await accounts.createClientKey();
    io.stdout(`BLOQ_CLIENT_ID=${key.clientId}`);
    io.stdout(`BLOQ_CLIENT_SECRET=${key.clientSecret}`);
    io.stderr("warning: this is the only time the client secret is shown; store it now (e.g. as BLOQ_CLIENT_SECRET).");
  },
});
