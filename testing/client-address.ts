/**
 * A client address no other test or benchmark client will name: 64 random bits in IPv6's documentation prefix.
 * An app that trusts one proxy (TRUST_PROXY=1: playwright.config.ts, the fleet harness) counts the rate limits of
 * a request naming it in X-Forwarded-For on their own; addresses picked from a clock collide across workers.
 */
import { randomBytes } from "node:crypto";

export const uniqueClientAddress = (): string => `2001:db8:${randomBytes(8).toString("hex").match(/.{4}/g)!.join(":")}::1`;
