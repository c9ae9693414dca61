-- The staff metrics' hourly rollup spread over 16 rows per hour (`slot`, from the onboarding's id). Every write about
-- an onboarding bumps its hour's counters in the writer's transaction (migration 0006); with one row per hour, all
-- the onboardings started in the same hour queued on that row's lock until each writer committed (measured with
-- npm run bench:onboarding: POST /api/onboarding p50 555 ms at 16 concurrent onboardings on Postgres, 352 ms with
-- the triggers off). Readers sum an hour's slots; a rebuild writes slot 0 only. The rows already there become slot 0.
-- An update bumps only what it changes: the hour's counters when the status or the hour moved, the histogram when
-- the time to verified or the day moved (else every status change took a lock on a row shared by the whole day).
-- The app writes one onboarding per transaction; a statement that updates several onboardings of one hour now
-- takes several slot rows, in the order it meets them, so two such statements at once can deadlock (one is retried
-- by Postgres's deadlock detection as an error): run bulk changes with `staff_metrics.bulk` and a rebuild instead.
ALTER TABLE "staff_metrics_hourly" ADD COLUMN "slot" smallint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "staff_metrics_hourly" DROP CONSTRAINT "staff_metrics_hourly_pkey";--> statement-breakpoint
ALTER TABLE "staff_metrics_hourly" ADD CONSTRAINT "staff_metrics_hourly_hour_slot_pk" PRIMARY KEY("hour","slot");--> statement-breakpoint
CREATE FUNCTION staff_metrics_slot(id uuid) RETURNS smallint LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT (get_byte(uuid_send(id), 15) % 16)::smallint
$$;--> statement-breakpoint
DROP FUNCTION staff_metrics_bump_onboarding(timestamptz, integer, text, float8);--> statement-breakpoint
DROP FUNCTION staff_metrics_bump_step(timestamptz, integer, text, text);--> statement-breakpoint
-- As in 0006, with the onboarding's slot, and only the parts asked for (`hourly`, `ttv`). The hourly row is always
-- locked before the histogram's.
CREATE FUNCTION staff_metrics_bump_onboarding(id uuid, created timestamptz, sign integer, status text, seconds float8, hourly boolean, ttv boolean)
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  IF hourly THEN
    INSERT INTO staff_metrics_hourly AS d (hour, slot, started, pending, verified, failed)
    VALUES (staff_metrics_hour(created), staff_metrics_slot(id), sign, CASE WHEN status = 'pending' THEN sign ELSE 0 END,
      CASE WHEN status = 'verified' THEN sign ELSE 0 END, CASE WHEN status = 'failed' THEN sign ELSE 0 END)
    ON CONFLICT ON CONSTRAINT staff_metrics_hourly_hour_slot_pk DO UPDATE SET started = d.started + excluded.started,
      pending = d.pending + excluded.pending, verified = d.verified + excluded.verified, failed = d.failed + excluded.failed;
  END IF;
  IF ttv AND seconds IS NOT NULL THEN
    INSERT INTO staff_metrics_ttv AS t (day, bucket, count) VALUES (staff_metrics_day(created), staff_ttv_bucket(seconds), sign)
    ON CONFLICT ON CONSTRAINT staff_metrics_ttv_day_bucket_pk DO UPDATE SET count = t.count + excluded.count;
  END IF;
END $$;--> statement-breakpoint
CREATE FUNCTION staff_metrics_bump_step(id uuid, created timestamptz, sign integer, provider text, status text) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  ob boolean := provider = 'offblocks';
BEGIN
  IF created IS NULL THEN RETURN; END IF;
  INSERT INTO staff_metrics_hourly AS d (hour, slot, signed_in, offblocks_verified, active, challenge_issued, unblock_session, bloq_linked)
  VALUES (staff_metrics_hour(created), staff_metrics_slot(id),
    CASE WHEN ob AND status <> 'not_started' THEN sign ELSE 0 END,
    CASE WHEN ob AND status IN ('verified', 'screening', 'verifying', 'active', 'rejected', 'failed') THEN sign ELSE 0 END,
    CASE WHEN ob AND status = 'active' THEN sign ELSE 0 END,
    CASE WHEN ob AND status = 'challenge_issued' THEN sign ELSE 0 END,
    CASE WHEN provider = 'unblock' AND status IN ('session_active', 'session_expired') THEN sign ELSE 0 END,
    CASE WHEN provider = 'bloq' AND status = 'linked' THEN sign ELSE 0 END)
  ON CONFLICT ON CONSTRAINT staff_metrics_hourly_hour_slot_pk DO UPDATE SET signed_in = d.signed_in + excluded.signed_in,
    offblocks_verified = d.offblocks_verified + excluded.offblocks_verified, active = d.active + excluded.active,
    challenge_issued = d.challenge_issued + excluded.challenge_issued, unblock_session = d.unblock_session + excluded.unblock_session,
    bloq_linked = d.bloq_linked + excluded.bloq_linked;
END $$;--> statement-breakpoint
CREATE OR REPLACE FUNCTION staff_metrics_onboardings_trigger() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  step record;
  -- an update touches the counters only where its row's contribution changes
  hourly boolean := TG_OP <> 'UPDATE' OR OLD.status IS DISTINCT FROM NEW.status OR OLD.id IS DISTINCT FROM NEW.id
    OR staff_metrics_hour(OLD.created_at) IS DISTINCT FROM staff_metrics_hour(NEW.created_at);
  ttv boolean := TG_OP <> 'UPDATE' OR OLD.offblocks_verified_seconds IS DISTINCT FROM NEW.offblocks_verified_seconds
    OR staff_metrics_day(OLD.created_at) IS DISTINCT FROM staff_metrics_day(NEW.created_at);
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    PERFORM staff_metrics_bump_onboarding(OLD.id, OLD.created_at, -1, OLD.status, OLD.offblocks_verified_seconds, hourly, ttv);
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    PERFORM staff_metrics_bump_onboarding(NEW.id, NEW.created_at, 1, NEW.status, NEW.offblocks_verified_seconds, hourly, ttv);
  END IF;
  -- the steps count in their onboarding's hour: move them with it, or take them out before the cascade
  -- deletes them (their own trigger then finds no onboarding and does nothing)
  IF TG_OP = 'DELETE' OR (TG_OP = 'UPDATE' AND staff_metrics_hour(OLD.created_at) <> staff_metrics_hour(NEW.created_at)) THEN
    FOR step IN SELECT s.provider, s.status FROM onboarding_steps s WHERE s.onboarding_id = OLD.id LOOP
      PERFORM staff_metrics_bump_step(OLD.id, OLD.created_at, -1, step.provider, step.status);
      IF TG_OP = 'UPDATE' THEN
        PERFORM staff_metrics_bump_step(NEW.id, NEW.created_at, 1, step.provider, step.status);
      END IF;
    END LOOP;
  END IF;
  IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE OR REPLACE FUNCTION staff_metrics_steps_trigger() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    PERFORM staff_metrics_bump_step(OLD.onboarding_id, (SELECT o.created_at FROM onboardings o WHERE o.id = OLD.onboarding_id), -1, OLD.provider, OLD.status);
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    PERFORM staff_metrics_bump_step(NEW.onboarding_id, (SELECT o.created_at FROM onboardings o WHERE o.id = NEW.onboarding_id), 1, NEW.provider, NEW.status);
  END IF;
  RETURN NULL;
END $$;
