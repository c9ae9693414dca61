/**
 * Every command of the operator CLI, in the order `help` lists them. A new command is a file in this folder
 * exporting a `Command`, added here (e.g. `bloq client-keys create`, `staff add <address>`).
 */
import type { Command } from "./command";
import { signatureBase64 } from "./signature-base64";
import { siweVerify } from "./siwe-verify";

export const COMMANDS: readonly Command[] = [siweVerify, signatureBase64];
