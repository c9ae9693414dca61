CREATE TABLE "staff_metrics_hourly" (
	"hour" timestamp PRIMARY KEY NOT NULL,
	"started" integer DEFAULT 0 NOT NULL,
	"signed_in" integer DEFAULT 0 NOT NULL,
	"offblocks_verified" integer DEFAULT 0 NOT NULL,
	"active" integer DEFAULT 0 NOT NULL,
	"challenge_issued" integer DEFAULT 0 NOT NULL,
	"unblock_session" integer DEFAULT 0 NOT NULL,
	"bloq_linked" integer DEFAULT 0 NOT NULL,
	"pending" integer DEFAULT 0 NOT NULL,
	"verified" integer DEFAULT 0 NOT NULL,
	"failed" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "staff_metrics_ttv" (
	"day" date NOT NULL,
	"bucket" integer NOT NULL,
	"count" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "staff_metrics_ttv_day_bucket_pk" PRIMARY KEY("day","bucket")
);
--> statement-breakpoint
ALTER TABLE "onboardings" ADD COLUMN "offblocks_verified_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "onboardings" ADD COLUMN "offblocks_verified_seconds" double precision GENERATED ALWAYS AS (extract(epoch from ("offblocks_verified_at" - "created_at"))::float8) STORED;--> statement-breakpoint
CREATE INDEX "onboarding_steps_challenge_issued_idx" ON "onboarding_steps" USING btree ("created_at") WHERE "onboarding_steps"."provider" = 'offblocks' and "onboarding_steps"."status" = 'challenge_issued';--> statement-breakpoint
CREATE INDEX "onboardings_verified_seconds_idx" ON "onboardings" USING btree ("offblocks_verified_seconds","created_at") WHERE "onboardings"."offblocks_verified_seconds" is not null;--> statement-breakpoint
CREATE INDEX "onboardings_created_verified_idx" ON "onboardings" USING btree ("created_at","offblocks_verified_seconds") WHERE "onboardings"."offblocks_verified_seconds" is not null;--> statement-breakpoint
-- when the onboardings already there were verified (before the triggers exist)
UPDATE onboardings o SET offblocks_verified_at = v.at
FROM (SELECT e.onboarding_id, min(e.at) AS at FROM onboarding_events e
  WHERE e.type = 'status_change' AND e.provider = 'offblocks'
    AND e.data->>'to' IN ('verified', 'screening', 'verifying', 'active', 'rejected', 'failed')
  GROUP BY e.onboarding_id) v
WHERE v.onboarding_id = o.id;--> statement-breakpoint
-- The staff metrics' rollup (lib/staff/metrics.ts) is kept exact by the triggers below, whatever code writes
-- the onboarding tables. Each row change subtracts the old row's contribution and adds the new one.
-- A session may skip them with `set local staff_metrics.bulk = 'on'` (the seed does, then calls
-- staff_metrics_rebuild()).
CREATE FUNCTION staff_ttv_bucket(seconds float8) RETURNS integer LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE WHEN seconds < 1 THEN 0 ELSE 1 + floor(ln(seconds) / ln(1.05::float8))::integer END
$$;--> statement-breakpoint
CREATE FUNCTION staff_metrics_day(created timestamptz) RETURNS date LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT (created AT TIME ZONE 'UTC')::date
$$;--> statement-breakpoint
CREATE FUNCTION staff_metrics_hour(created timestamptz) RETURNS timestamp LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT date_trunc('hour', created AT TIME ZONE 'UTC')
$$;--> statement-breakpoint
-- Adds `sign` × one onboarding's own contribution (started, its status, its time to verified) to the hour
-- (counters) and the day (histogram) of `created`. The hourly row is always locked before the histogram's,
-- so that two writers cannot deadlock on them.
CREATE FUNCTION staff_metrics_bump_onboarding(created timestamptz, sign integer, status text, seconds float8) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO staff_metrics_hourly AS d (hour, started, pending, verified, failed)
  VALUES (staff_metrics_hour(created), sign, CASE WHEN status = 'pending' THEN sign ELSE 0 END, CASE WHEN status = 'verified' THEN sign ELSE 0 END,
    CASE WHEN status = 'failed' THEN sign ELSE 0 END)
  ON CONFLICT ON CONSTRAINT staff_metrics_hourly_pkey DO UPDATE SET started = d.started + excluded.started,
    pending = d.pending + excluded.pending, verified = d.verified + excluded.verified, failed = d.failed + excluded.failed;
  IF seconds IS NOT NULL THEN
    INSERT INTO staff_metrics_ttv AS t (day, bucket, count) VALUES (staff_metrics_day(created), staff_ttv_bucket(seconds), sign)
    ON CONFLICT ON CONSTRAINT staff_metrics_ttv_day_bucket_pk DO UPDATE SET count = t.count + excluded.count;
  END IF;
END $$;--> statement-breakpoint
-- Adds `sign` × one step's contribution to the hour its onboarding was `created` (null: no onboarding).
CREATE FUNCTION staff_metrics_bump_step(created timestamptz, sign integer, provider text, status text) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  ob boolean := provider = 'offblocks';
BEGIN
  IF created IS NULL THEN RETURN; END IF;
  INSERT INTO staff_metrics_hourly AS d (hour, signed_in, offblocks_verified, active, challenge_issued, unblock_session, bloq_linked)
  VALUES (staff_metrics_hour(created),
    CASE WHEN ob AND status <> 'not_started' THEN sign ELSE 0 END,
    CASE WHEN ob AND status IN ('verified', 'screening', 'verifying', 'active', 'rejected', 'failed') THEN sign ELSE 0 END,
    CASE WHEN ob AND status = 'active' THEN sign ELSE 0 END,
    CASE WHEN ob AND status = 'challenge_issued' THEN sign ELSE 0 END,
    CASE WHEN provider = 'unblock' AND status IN ('session_active', 'session_expired') THEN sign ELSE 0 END,
    CASE WHEN provider = 'bloq' AND status = 'linked' THEN sign ELSE 0 END)
  ON CONFLICT ON CONSTRAINT staff_metrics_hourly_pkey DO UPDATE SET signed_in = d.signed_in + excluded.signed_in,
    offblocks_verified = d.offblocks_verified + excluded.offblocks_verified, active = d.active + excluded.active,
    challenge_issued = d.challenge_issued + excluded.challenge_issued, unblock_session = d.unblock_session + excluded.unblock_session,
    bloq_linked = d.bloq_linked + excluded.bloq_linked;
END $$;--> statement-breakpoint
CREATE FUNCTION staff_metrics_onboardings_trigger() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  step record;
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    PERFORM staff_metrics_bump_onboarding(OLD.created_at, -1, OLD.status, OLD.offblocks_verified_seconds);
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    PERFORM staff_metrics_bump_onboarding(NEW.created_at, 1, NEW.status, NEW.offblocks_verified_seconds);
  END IF;
  -- the steps count in their onboarding's hour: move them with it, or take them out before the cascade
  -- deletes them (their own trigger then finds no onboarding and does nothing)
  IF TG_OP = 'DELETE' OR (TG_OP = 'UPDATE' AND staff_metrics_hour(OLD.created_at) <> staff_metrics_hour(NEW.created_at)) THEN
    FOR step IN SELECT s.provider, s.status FROM onboarding_steps s WHERE s.onboarding_id = OLD.id LOOP
      PERFORM staff_metrics_bump_step(OLD.created_at, -1, step.provider, step.status);
      IF TG_OP = 'UPDATE' THEN
        PERFORM staff_metrics_bump_step(NEW.created_at, 1, step.provider, step.status);
      END IF;
    END LOOP;
  END IF;
  IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE TRIGGER staff_metrics_onboardings_insert AFTER INSERT ON onboardings FOR EACH ROW
  WHEN (current_setting('staff_metrics.bulk', true) IS DISTINCT FROM 'on')
  EXECUTE FUNCTION staff_metrics_onboardings_trigger();--> statement-breakpoint
CREATE TRIGGER staff_metrics_onboardings_update AFTER UPDATE ON onboardings FOR EACH ROW
  WHEN (current_setting('staff_metrics.bulk', true) IS DISTINCT FROM 'on' AND (OLD.created_at IS DISTINCT FROM NEW.created_at
    OR OLD.status IS DISTINCT FROM NEW.status OR OLD.offblocks_verified_at IS DISTINCT FROM NEW.offblocks_verified_at))
  EXECUTE FUNCTION staff_metrics_onboardings_trigger();--> statement-breakpoint
-- BEFORE: the steps are still there (ON DELETE CASCADE removes them after the row)
CREATE TRIGGER staff_metrics_onboardings_delete BEFORE DELETE ON onboardings FOR EACH ROW
  WHEN (current_setting('staff_metrics.bulk', true) IS DISTINCT FROM 'on')
  EXECUTE FUNCTION staff_metrics_onboardings_trigger();--> statement-breakpoint
CREATE FUNCTION staff_metrics_steps_trigger() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    PERFORM staff_metrics_bump_step((SELECT o.created_at FROM onboardings o WHERE o.id = OLD.onboarding_id), -1, OLD.provider, OLD.status);
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    PERFORM staff_metrics_bump_step((SELECT o.created_at FROM onboardings o WHERE o.id = NEW.onboarding_id), 1, NEW.provider, NEW.status);
  END IF;
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE TRIGGER staff_metrics_steps_insert AFTER INSERT ON onboarding_steps FOR EACH ROW
  WHEN (current_setting('staff_metrics.bulk', true) IS DISTINCT FROM 'on')
  EXECUTE FUNCTION staff_metrics_steps_trigger();--> statement-breakpoint
CREATE TRIGGER staff_metrics_steps_update AFTER UPDATE ON onboarding_steps FOR EACH ROW
  WHEN (current_setting('staff_metrics.bulk', true) IS DISTINCT FROM 'on' AND (OLD.status IS DISTINCT FROM NEW.status
    OR OLD.provider IS DISTINCT FROM NEW.provider OR OLD.onboarding_id IS DISTINCT FROM NEW.onboarding_id))
  EXECUTE FUNCTION staff_metrics_steps_trigger();--> statement-breakpoint
CREATE TRIGGER staff_metrics_steps_delete AFTER DELETE ON onboarding_steps FOR EACH ROW
  WHEN (current_setting('staff_metrics.bulk', true) IS DISTINCT FROM 'on')
  EXECUTE FUNCTION staff_metrics_steps_trigger();--> statement-breakpoint
-- offblocks_verified_at: the earliest OffBlocks status_change into a verified status. An insert can only
-- move it earlier; an update or delete of such an event recomputes it.
CREATE FUNCTION staff_metrics_offblocks_verified(event onboarding_events) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$
  SELECT event.onboarding_id IS NOT NULL AND event.type = 'status_change' AND event.provider = 'offblocks'
    AND event.data->>'to' IN ('verified', 'screening', 'verifying', 'active', 'rejected', 'failed')
$$;--> statement-breakpoint
CREATE FUNCTION staff_metrics_recompute_verified_at(id uuid) RETURNS void LANGUAGE sql AS $$
  UPDATE onboardings o SET offblocks_verified_at = v.at
  FROM (SELECT min(e.at) AS at FROM onboarding_events e
    WHERE e.onboarding_id = staff_metrics_recompute_verified_at.id AND staff_metrics_offblocks_verified(e)) v
  WHERE o.id = staff_metrics_recompute_verified_at.id AND o.offblocks_verified_at IS DISTINCT FROM v.at
$$;--> statement-breakpoint
CREATE FUNCTION staff_metrics_events_trigger() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    UPDATE onboardings SET offblocks_verified_at = NEW.at
    WHERE id = NEW.onboarding_id AND (offblocks_verified_at IS NULL OR offblocks_verified_at > NEW.at);
    RETURN NULL;
  END IF;
  IF staff_metrics_offblocks_verified(OLD) THEN PERFORM staff_metrics_recompute_verified_at(OLD.onboarding_id); END IF;
  IF TG_OP = 'UPDATE' AND staff_metrics_offblocks_verified(NEW) THEN PERFORM staff_metrics_recompute_verified_at(NEW.onboarding_id); END IF;
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE TRIGGER staff_metrics_events_insert AFTER INSERT ON onboarding_events FOR EACH ROW
  WHEN (current_setting('staff_metrics.bulk', true) IS DISTINCT FROM 'on' AND staff_metrics_offblocks_verified(NEW))
  EXECUTE FUNCTION staff_metrics_events_trigger();--> statement-breakpoint
CREATE TRIGGER staff_metrics_events_change AFTER UPDATE OR DELETE ON onboarding_events FOR EACH ROW
  WHEN (current_setting('staff_metrics.bulk', true) IS DISTINCT FROM 'on')
  EXECUTE FUNCTION staff_metrics_events_trigger();--> statement-breakpoint
-- Recounts the whole rollup from the base tables (after a bulk load; under a lock that stops the writers).
CREATE FUNCTION staff_metrics_rebuild() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  LOCK TABLE onboardings, onboarding_steps, onboarding_events, staff_metrics_hourly, staff_metrics_ttv IN SHARE ROW EXCLUSIVE MODE;
  DELETE FROM staff_metrics_hourly;
  DELETE FROM staff_metrics_ttv;
  INSERT INTO staff_metrics_hourly (hour, started, signed_in, offblocks_verified, active, challenge_issued, unblock_session, bloq_linked, pending, verified, failed)
  SELECT staff_metrics_hour(o.created_at), count(*),
    count(*) FILTER (WHERE ob.status IS NOT NULL AND ob.status <> 'not_started'),
    count(*) FILTER (WHERE ob.status IN ('verified', 'screening', 'verifying', 'active', 'rejected', 'failed')),
    count(*) FILTER (WHERE ob.status = 'active'),
    count(*) FILTER (WHERE ob.status = 'challenge_issued'),
    count(*) FILTER (WHERE ub.status IN ('session_active', 'session_expired')),
    count(*) FILTER (WHERE bq.status = 'linked'),
    count(*) FILTER (WHERE o.status = 'pending'),
    count(*) FILTER (WHERE o.status = 'verified'),
    count(*) FILTER (WHERE o.status = 'failed')
  FROM onboardings o
  LEFT JOIN onboarding_steps ob ON ob.onboarding_id = o.id AND ob.provider = 'offblocks'
  LEFT JOIN onboarding_steps ub ON ub.onboarding_id = o.id AND ub.provider = 'unblock'
  LEFT JOIN onboarding_steps bq ON bq.onboarding_id = o.id AND bq.provider = 'bloq'
  GROUP BY 1;
  INSERT INTO staff_metrics_ttv (day, bucket, count)
  SELECT staff_metrics_day(created_at), staff_ttv_bucket(offblocks_verified_seconds), count(*)
  FROM onboardings WHERE offblocks_verified_seconds IS NOT NULL
  GROUP BY 1, 2;
END $$;--> statement-breakpoint
CREATE FUNCTION staff_metrics_truncate_trigger() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM staff_metrics_hourly;
  DELETE FROM staff_metrics_ttv;
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE TRIGGER staff_metrics_onboardings_truncate AFTER TRUNCATE ON onboardings FOR EACH STATEMENT
  EXECUTE FUNCTION staff_metrics_truncate_trigger();--> statement-breakpoint
-- the rollup of the data already there
SELECT staff_metrics_rebuild();
