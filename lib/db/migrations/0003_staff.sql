CREATE TABLE "staff" (
	"address" text PRIMARY KEY NOT NULL,
	"added_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "onboarding_events_offblocks_status_idx" ON "onboarding_events" USING btree ("onboarding_id","at") WHERE "onboarding_events"."type" = 'status_change' and "onboarding_events"."provider" = 'offblocks';--> statement-breakpoint
CREATE INDEX "onboardings_email_idx" ON "onboardings" USING btree (lower("email"));