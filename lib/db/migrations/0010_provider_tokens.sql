CREATE TABLE "provider_tokens" (
	"provider" text PRIMARY KEY NOT NULL,
	"scope" text NOT NULL,
	"token" "bytea" NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"renew_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
-- Bloq's client tokens used to live sealed in provider_credentials; they are now in provider_tokens (the
-- next call fetches a new pair once).
DELETE FROM "provider_credentials" WHERE "provider" = 'bloq';
