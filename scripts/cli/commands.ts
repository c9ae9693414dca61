/**
 * Every command of the operator CLI, in the order `help` lists them. A new command is a file in this folder
 * exporting a `Command`, added here (e.g. `bloq client-keys create`, `staff add <address>`).
 */
import { bloqClientKeysCreate } from "./bloq-client-keys-create";
import { bloqClientKeysDelete } from "./bloq-client-keys-delete";
import { bloqClientKeysList } from "./bloq-client-keys-list";
import type { Command } from "./command";
import { signatureBase64 } from "./signature-base64";
import { siweVerify } from "./siwe-verify";
import { staffAdd } from "./staff-add";
import { staffList } from "./staff-list";
import { staffRemove } from "./staff-remove";

export const COMMANDS: readonly Command[] = [
  siweVerify,
  signatureBase64,
  bloqClientKeysCreate,
  bloqClientKeysList,
  bloqClientKeysDelete,
  staffAdd,
  staffRemove,
  staffList,
];
