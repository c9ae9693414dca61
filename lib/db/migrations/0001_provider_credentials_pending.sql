ALTER TABLE "provider_credentials" ADD COLUMN "pending_api_key" text;--> statement-breakpoint
ALTER TABLE "provider_credentials" ADD COLUMN "pending_secret" "bytea";