-- The staff stream's commit-safe order (lib/staff/stream.ts): each event records the id of the transaction that
-- wrote it. Added in two steps so the table is not rewritten: the events already there read as transaction '0'
-- (a constant default is stored once in the catalog), older than any real transaction, in id order — so an old
-- numeric Last-Event-ID resumes exactly; every event written from now on takes its transaction's id.
ALTER TABLE "onboarding_events" ADD COLUMN "tx" "xid8" DEFAULT '0' NOT NULL;--> statement-breakpoint
ALTER TABLE "onboarding_events" ALTER COLUMN "tx" SET DEFAULT pg_current_xact_id();--> statement-breakpoint
CREATE INDEX "onboarding_events_stream_idx" ON "onboarding_events" USING btree ("tx","id");
