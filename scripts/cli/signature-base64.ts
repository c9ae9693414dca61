/**
 * `signature base64`: a wallet's 0x-hex signature as OffBlocks wants it — Base64 of the 65 raw bytes — using
 * the same encoder the app uses when it forwards a signature (lib/providers/offblocks/challenge.ts).
 */
import { signatureHexToBase64 } from "../../lib/providers/offblocks/challenge";
import { noPositionals, parseFlags, preview } from "./args";
import { EXIT, UsageError, type Command } from "./command";

const NAME = "signature base64";

export const signatureBase64: Command = {
  path: ["signature", "base64"],
  synopsis: "<0xhex>",
  summary: "print the Base64 of a signature's raw bytes (the form OffBlocks' /challenge/sign takes)",
  details: "  <0xhex>   0x followed by 130 hex digits (65 bytes: r, s, v)\nExit 0 printed, 2 unusable input.",
  async run(args, io) {
    const { positionals } = parseFlags(args, {}, NAME);
    const [hex, ...rest] = positionals;
    if (hex === undefined) throw new UsageError(`${NAME}: the signature is required, e.g. ${NAME} 0x…`);
    noPositionals(rest, NAME);
    let base64: string;
    try {
      base64 = signatureHexToBase64(hex);
    } catch {
      throw new UsageError(`the signature must be 0x followed by 130 hex digits (65 bytes); got ${preview(hex)}`);
    }
    io.stdout(base64);
    return EXIT.ok;
  },
};
