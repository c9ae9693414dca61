/** zod schemas of the end-user API's request bodies (shared/API.md). */
import type { Hex } from "viem";
import { z } from "zod";

/** `0x` + whole bytes of hex. Contract-wallet signatures (EIP-1271/6492) can be long; 16 KiB of bytes is plenty. */
export const HexSignatureSchema = z
  .string()
  .max(2 + 2 * 16_384, "is too long")
  .regex(/^0x(?:[0-9a-fA-F]{2})+$/, "must be 0x followed by hex bytes")
  .transform((value) => value as Hex);

export const SignInBodySchema = z.object({
  message: z.string().min(1).max(8_192),
  signature: HexSignatureSchema,
});

export const EmptyBodySchema = z.object({});

export const OffblocksSignBodySchema = z.object({ signature: HexSignatureSchema });
