/** `bloq client-keys list`: the merchant's Bloq client keys, ids and creation dates only (never a secret). */
import { noPositionals } from "./args";
import { bloqClientKeysCommand } from "./bloq-client-keys-command";

export const bloqClientKeysList = bloqClientKeysCommand({
  verb: "list",
  synopsis: "",
  summary: "list the Bloq client keys (id and creation date; secrets are never shown again)",
  details: "One line per key: `<id>  <createdAt>`; nothing when there is none.\nExit 0 listed, 1 Bloq refused or is unreachable, 2 unusable input.",
  input: noPositionals,
  async work(accounts, _input, io) {
    for (const key of await accounts.listClientKeys()) io.stdout(`${key.id}  ${key.createdAt}`);
  },
});
