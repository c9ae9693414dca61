/**
 * OffBlocks' wire format (shared/PROVIDERS.md, OffBlocks part): the one definition of every request and
 * answer body, used by our client (lib/providers/offblocks) to build and parse, and by the emulator
 * (sandbox/offblocks) to validate and answer. Fields marked "ours" in PROVIDERS.md are choices we made where
 * the real API's docs are silent.
 */
import { z } from "zod";

/** CAIP-10 account id of an EVM account: `eip155:<chain>:<0x + 40 hex>`. */
export const Caip10Schema = z.string().regex(/^eip155:[1-9][0-9]{0,15}:0x[0-9a-fA-F]{40}$/, "must be a CAIP-10 id like eip155:300:0xAbC…");

const uuid = z.string().uuid();
const isoDate = z.string().min(1);

export const TokenRequestSchema = z.object({ apiKey: uuid, apiSecret: z.string().min(1).max(512) });
export type TokenRequest = z.infer<typeof TokenRequestSchema>;

export const TokenResponseSchema = z.object({
  token: z.string().min(1),
  /** unix seconds */
  expiresAt: z.number().int(),
  tokenType: z.literal("Bearer"),
});
export type TokenResponse = z.infer<typeof TokenResponseSchema>;

export const CredentialsPutSchema = TokenRequestSchema;
export type CredentialsPut = z.infer<typeof CredentialsPutSchema>;

export const CredentialsDeleteSchema = z.object({ apiKey: uuid });
export type CredentialsDelete = z.infer<typeof CredentialsDeleteSchema>;

/** ours: `{publicKey: base64(PEM of the SPKI P-384 public key)}` → `{keyId}` */
export const SigningKeyPutSchema = z.object({ publicKey: z.string().min(1).max(8192) });
export type SigningKeyPut = z.infer<typeof SigningKeyPutSchema>;
export const SigningKeyResponseSchema = z.object({ keyId: z.string().min(1) });
export type SigningKeyResponse = z.infer<typeof SigningKeyResponseSchema>;

export const CUSTOMER_STATUSES = ["initiating", "screening", "verifying", "active", "inactive", "rejected"] as const;
export const CustomerStatusSchema = z.enum(CUSTOMER_STATUSES);
export type CustomerStatus = z.infer<typeof CustomerStatusSchema>;

export const CustomerCreateSchema = z.object({
  chainId: Caip10Schema,
  externalId: z.string().min(1).max(255),
});
export type CustomerCreate = z.infer<typeof CustomerCreateSchema>;

export const CustomerSchema = z.object({
  id: uuid,
  externalId: z.string(),
  chainId: Caip10Schema,
  status: CustomerStatusSchema,
  createdAt: isoDate,
  updatedAt: isoDate,
});
export type Customer = z.infer<typeof CustomerSchema>;

/** `POST /customers` answers the customer with its first challenge (base64 of the EIP-4361 text). */
export const CreatedCustomerSchema = CustomerSchema.extend({ challenge: z.string().min(1) });
export type CreatedCustomer = z.infer<typeof CreatedCustomerSchema>;

export const CustomerListSchema = z.object({ items: z.array(CustomerSchema) });
export type CustomerList = z.infer<typeof CustomerListSchema>;

/** ours: `GET /customers/{id}/challenge` → `{challenge, expiresAt}` (expiresAt ISO). */
export const ChallengeResponseSchema = z.object({ challenge: z.string().min(1), expiresAt: isoDate });
export type ChallengeResponse = z.infer<typeof ChallengeResponseSchema>;

export const ChallengeSignSchema = z.object({
  ownerId: Caip10Schema,
  challenge: z.string().min(1).max(16_384),
  /** base64 of the 65 raw signature bytes (r ‖ s ‖ v) */
  signature: z.string().min(1).max(1024),
});
export type ChallengeSign = z.infer<typeof ChallengeSignSchema>;

export const WEBHOOK_TYPES = ["customer.updated"] as const;
export const WebhookPutSchema = z.object({
  id: uuid.optional(),
  callbackUrl: z.string().url().max(2048),
  types: z.array(z.enum(WEBHOOK_TYPES)).min(1),
});
export type WebhookPut = z.infer<typeof WebhookPutSchema>;

export const WebhookSchema = z.object({
  id: uuid,
  callbackUrl: z.string(),
  types: z.array(z.string()),
  createdAt: isoDate,
  updatedAt: isoDate,
});
export type Webhook = z.infer<typeof WebhookSchema>;
export const WebhookListSchema = z.object({ items: z.array(WebhookSchema) });

/** What a `customer.updated` delivery carries: the customer's fields + `webhookType` + `eventId`. */
export const CustomerWebhookPayloadSchema = CustomerSchema.extend({
  webhookType: z.literal("customer.updated"),
  eventId: uuid,
});
export type CustomerWebhookPayload = z.infer<typeof CustomerWebhookPayloadSchema>;

/** ours: error bodies `{error: {code, message}}`. */
export const OffblocksErrorSchema = z.object({ error: z.object({ code: z.string(), message: z.string() }) });

/** Error codes the emulator answers and our client reacts to (ours). */
export const OFFBLOCKS_ERROR = {
  invalidRequest: "invalid_request",
  unauthorized: "unauthorized",
  tokenExpired: "token_expired",
  signatureMissing: "signature_missing",
  signatureInvalid: "signature_invalid",
  signingKeyUnknown: "signing_key_unknown",
  digestMismatch: "content_digest_mismatch",
  idempotencyKeyMissing: "idempotency_key_missing",
  idempotencyKeyReused: "idempotency_key_reused",
  idempotencyInFlight: "idempotency_request_in_flight",
  customerExists: "customer_exists",
  notFound: "not_found",
  challengeExpired: "challenge_expired",
  invalidState: "invalid_state",
  payloadTooLarge: "payload_too_large",
  injectedFault: "injected_fault",
} as const;

/** Lifetimes the provider documents. */
export const OFFBLOCKS_LIFETIMES = {
  tokenSeconds: 3600,
  challengeSeconds: 3600,
  idempotencySeconds: 3600,
} as const;
