DROP INDEX "onboardings_created_idx";--> statement-breakpoint
DROP INDEX "onboardings_status_created_idx";--> statement-breakpoint
CREATE INDEX "onboardings_created_idx" ON "onboardings" USING btree ("created_at" DESC NULLS FIRST,"id" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "onboardings_status_created_idx" ON "onboardings" USING btree ("status","created_at" DESC NULLS FIRST,"id" DESC NULLS FIRST);