CREATE TABLE "idempotency_keys" (
	"operation" text PRIMARY KEY NOT NULL,
	"provider" text NOT NULL,
	"key" uuid NOT NULL,
	"request_hash" text NOT NULL,
	"response_status" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"completed_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "onboarding_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"onboarding_id" uuid,
	"type" text NOT NULL,
	"provider" text,
	"data" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "onboarding_steps" (
	"onboarding_id" uuid NOT NULL,
	"provider" text NOT NULL,
	"status" text NOT NULL,
	"external_id" text,
	"challenge" text,
	"challenge_expires_at" timestamp with time zone,
	"secret" "bytea",
	"secret_expires_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "onboarding_steps_onboarding_id_provider_pk" PRIMARY KEY("onboarding_id","provider")
);
--> statement-breakpoint
CREATE TABLE "onboardings" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"address" text NOT NULL,
	"chain_id" integer NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"email" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "provider_credentials" (
	"provider" text PRIMARY KEY NOT NULL,
	"api_key" text,
	"secret" "bytea",
	"signing_key_id" text,
	"token_expires_at" timestamp with time zone,
	"version" integer DEFAULT 1 NOT NULL,
	"revoked_at" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "onboarding_events" ADD CONSTRAINT "onboarding_events_onboarding_id_onboardings_id_fk" FOREIGN KEY ("onboarding_id") REFERENCES "public"."onboardings"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "onboarding_steps" ADD CONSTRAINT "onboarding_steps_onboarding_id_onboardings_id_fk" FOREIGN KEY ("onboarding_id") REFERENCES "public"."onboardings"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "onboarding_events_onboarding_idx" ON "onboarding_events" USING btree ("onboarding_id","id");--> statement-breakpoint
CREATE INDEX "onboarding_events_at_idx" ON "onboarding_events" USING btree ("at");--> statement-breakpoint
CREATE INDEX "onboarding_steps_provider_status_idx" ON "onboarding_steps" USING btree ("provider","status");--> statement-breakpoint
CREATE INDEX "onboarding_steps_external_idx" ON "onboarding_steps" USING btree ("provider","external_id");--> statement-breakpoint
CREATE UNIQUE INDEX "onboardings_address_key" ON "onboardings" USING btree (lower("address"));--> statement-breakpoint
CREATE INDEX "onboardings_created_idx" ON "onboardings" USING btree ("created_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "onboardings_status_created_idx" ON "onboardings" USING btree ("status","created_at" DESC NULLS LAST,"id" DESC NULLS LAST);