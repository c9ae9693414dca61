/** `bloq client-keys delete <id>`: revokes a Bloq client key (its refresh tokens stop working). */
import { noPositionals, preview } from "./args";
import { bloqClientKeysCommand } from "./bloq-client-keys-command";
import { UsageError } from "./command";

export const bloqClientKeysDelete = bloqClientKeysCommand({
  verb: "delete",
  synopsis: "<id>",
  summary: "delete a Bloq client key (the app stops getting tokens with it)",
  details: "  <id>   the key's id, as `bloq client-keys list` shows it\nExit 0 deleted, 1 Bloq refused (e.g. unknown id) or is unreachable, 2 unusable input.",
  input([id, ...rest], name) {
    if (id === undefined) throw new UsageError(`${name}: the key id is required, e.g. ${name} <id> (see bloq client-keys list)`);
    noPositionals(rest, name);
    if (!/^[A-Za-z0-9_-]{1,256}$/.test(id)) throw new UsageError(`${name}: not a client key id: ${preview(id)}`);
    return id;
  },
  async work(accounts, id, io) {
    await accounts.deleteClientKey(id);
    io.stdout(`deleted ${id}`);
  },
});
