/**
 * `siwe verify`: checks an EIP-4361 message and its signature with the app's own verifier (lib/siwe), the
 * same checks the app and OffBlocks make. Prints `{"valid", "address", "chainId", "reason"}`; exits 0 when
 * valid, 1 when not, 2 when the input is unusable. Only the checks asked for are made: without --domain
 * the domain is not compared, without --nonce the nonce is not, and the time checks use --at (default now).
 */
import { verifySiwe, type SiweExpectations } from "../../lib/siwe/verify";
import { hexArgument, instantArgument, noPositionals, parseFlags, readTextArgument, required } from "./args";
import { EXIT, UsageError, type Command } from "./command";

const NAME = "siwe verify";

/** An EIP-4361 message never ends with a line break; an editor's final newline is not part of what was signed. */
function withoutFinalNewline(text: string): string {
  return text.replace(/\r?\n$/, "");
}

export const siweVerify: Command = {
  path: ["siwe", "verify"],
  synopsis: "--message <file> --signature <0xhex> [--domain <host>] [--nonce <n>] [--at <ISO time>]",
  summary: "verify a Sign-In with Ethereum (EIP-4361) message and its signature",
  details: [
    "  --message <file>      the message text (one final newline is ignored); - reads standard input",
    "  --signature <0xhex>   the wallet's signature (65 bytes, or 64 in EIP-2098 form)",
    "  --domain <host>       the domain the message must name (not checked when absent)",
    "  --nonce <n>           the nonce the message must carry (not checked when absent)",
    "  --at <ISO time>       check issued-at, expiration and not-before at this time (default: now)",
    'Prints {"valid", "address", "chainId", "reason"}. Exit 0 valid, 1 not valid, 2 unusable input.',
  ].join("\n"),
  async run(args, io) {
    const { values, positionals } = parseFlags(
      args,
      {
        message: { type: "string" },
        signature: { type: "string" },
        domain: { type: "string" },
        nonce: { type: "string" },
        at: { type: "string" },
      },
      NAME,
    );
    noPositionals(positionals, NAME);
    const messageFile = required(values.message, "--message", NAME);
    const signature = hexArgument(required(values.signature, "--signature", NAME), "--signature");
    const bytes = (signature.length - 2) / 2;
    if (bytes !== 65 && bytes !== 64) throw new UsageError(`--signature must be 65 bytes (or 64, EIP-2098); got ${bytes}`);
    const expect: SiweExpectations = {};
    if (values.domain !== undefined) expect.domain = required(values.domain, "--domain", NAME);
    if (values.nonce !== undefined) expect.nonce = required(values.nonce, "--nonce", NAME);
    if (values.at !== undefined) expect.at = instantArgument(values.at, "--at");
    const message = withoutFinalNewline(await readTextArgument(messageFile, "--message", io));
    if (message.trim() === "") throw new UsageError(`--message: ${messageFile} is empty`);

    const result = await verifySiwe({ message, signature }, expect);
    if (result.valid) {
      io.stdout(JSON.stringify({ valid: true, address: result.address, chainId: result.chainId, reason: null }));
      return EXIT.ok;
    }
    io.stdout(JSON.stringify({ valid: false, address: result.address ?? null, chainId: result.chainId ?? null, reason: result.reason }));
    io.stderr(`not valid: ${result.message}`);
    return EXIT.negative;
  },
};
