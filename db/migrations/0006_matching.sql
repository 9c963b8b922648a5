CREATE TABLE "admission_weeks" (
	"week_start" date PRIMARY KEY NOT NULL,
	"admitted" integer DEFAULT 0 NOT NULL,
	"cap" integer,
	CONSTRAINT "admission_weeks_cap_check" CHECK ("admission_weeks"."admitted" >= 0 and ("admission_weeks"."cap" is null or "admission_weeks"."admitted" <= "admission_weeks"."cap"))
);
--> statement-breakpoint
CREATE TABLE "matches" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"eoi_id" uuid NOT NULL,
	"return_case_id" uuid,
	"run_id" uuid NOT NULL,
	"matched_at" timestamp with time zone DEFAULT now() NOT NULL,
	"matched_by" uuid,
	"backed_at" timestamp with time zone,
	"announced_at" timestamp with time zone,
	"travel_date" date,
	"arrived_at" timestamp with time zone,
	"unmatched_at" timestamp with time zone,
	"unmatched_by" uuid,
	"unmatch_reason" text,
	CONSTRAINT "matches_unmatch_check" CHECK (("matches"."unmatched_at" is null) = ("matches"."unmatch_reason" is null)),
	CONSTRAINT "matches_arrival_check" CHECK ("matches"."arrived_at" is null or "matches"."unmatched_at" is null)
);
--> statement-breakpoint
CREATE TABLE "return_imports" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"staff_id" uuid NOT NULL,
	"file_name" text NOT NULL,
	"sha256" text NOT NULL,
	"content_enc" text NOT NULL,
	"status" text DEFAULT 'preview' NOT NULL,
	"total_lines" integer NOT NULL,
	"processed" integer DEFAULT 0 NOT NULL,
	"added" integer DEFAULT 0 NOT NULL,
	"updated" integer DEFAULT 0 NOT NULL,
	"unchanged" integer DEFAULT 0 NOT NULL,
	"errors" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "eois" ADD COLUMN "match_priority" integer DEFAULT 3 NOT NULL;--> statement-breakpoint
ALTER TABLE "return_cases" ADD COLUMN "age_category" text DEFAULT 'adult' NOT NULL;--> statement-breakpoint
ALTER TABLE "return_cases" ADD COLUMN "stage_note" text;--> statement-breakpoint
ALTER TABLE "return_cases" ADD COLUMN "import_id" uuid;--> statement-breakpoint
ALTER TABLE "return_cases" ADD COLUMN "updated_at" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
ALTER TABLE "scheme_settings" ADD COLUMN "admissions_ahead" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "scheme_settings" ADD COLUMN "weekly_cap" integer;--> statement-breakpoint
ALTER TABLE "matches" ADD CONSTRAINT "matches_unmatched_by_staff_users_id_fk" FOREIGN KEY ("unmatched_by") REFERENCES "public"."staff_users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "return_imports" ADD CONSTRAINT "return_imports_staff_id_staff_users_id_fk" FOREIGN KEY ("staff_id") REFERENCES "public"."staff_users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "matches_eoi_active_uniq" ON "matches" USING btree ("eoi_id") WHERE "matches"."unmatched_at" is null;--> statement-breakpoint
CREATE UNIQUE INDEX "matches_return_active_uniq" ON "matches" USING btree ("return_case_id") WHERE "matches"."unmatched_at" is null;--> statement-breakpoint
CREATE INDEX "matches_ahead_idx" ON "matches" USING btree ("matched_at","id") WHERE "matches"."unmatched_at" is null and "matches"."return_case_id" is null;--> statement-breakpoint
CREATE INDEX "matches_unannounced_idx" ON "matches" USING btree ("matched_at") WHERE "matches"."announced_at" is null;--> statement-breakpoint
CREATE INDEX "eois_matching_queue_idx" ON "eois" USING btree ("match_priority","submitted_at","id") WHERE "eois"."status" = 'approved';--> statement-breakpoint
CREATE INDEX "return_cases_transferred_idx" ON "return_cases" USING btree ("transferred_at","id") WHERE "return_cases"."stage" = 'transferred';--> statement-breakpoint
CREATE INDEX "return_cases_stage_idx" ON "return_cases" USING btree ("stage","small_boat_arrival_at");--> statement-breakpoint
ALTER TABLE "scheme_settings" ADD CONSTRAINT "scheme_settings_weekly_cap_check" CHECK ("scheme_settings"."weekly_cap" is null or "scheme_settings"."weekly_cap" >= 0);--> statement-breakpoint
ALTER TABLE "scheme_settings" ADD CONSTRAINT "scheme_settings_parity_check" CHECK ("scheme_settings"."admissions_ahead" >= 0 and ("scheme_settings"."parity_policy" = 'reporting-only' or "scheme_settings"."admissions_ahead" <= case when "scheme_settings"."parity_policy" = 'tolerance' then "scheme_settings"."parity_tolerance" else 0 end));--> statement-breakpoint
-- The week (Monday, Paris) an admission counts in, for the weekly cap and the parity dashboard.
CREATE FUNCTION admission_week(at timestamptz) RETURNS date LANGUAGE sql STABLE AS $$
  SELECT date_trunc('week', at AT TIME ZONE 'Europe/Paris')::date
$$;
--> statement-breakpoint
-- Holds the invariants of `matches` for every statement that writes it, from this application or
-- plain SQL. Statement-level with transition tables, so matching 100,000 people checks and counts
-- once, not 100,000 times (decision 015):
-- * what foreign keys would check, set-based: each match names an existing EOI and member of
--   staff, and an active match's return is transferred. The settings row lock orders this against
--   a return leaving 'transferred' (return_cases_keep_matched), so whichever commits second fails;
-- * scheme_settings.admissions_ahead and admission_weeks.admitted are kept equal to what `matches`
--   holds, so their checks refuse admissions over completed returns + tolerance, or over the cap.
-- (old_rows exists only for UPDATE; plpgsql plans a query when it first runs it.)
CREATE FUNCTION matches_keep_invariants() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  ahead integer;
BEGIN
  -- Stamping an announcement or a travel date changes nothing this guards, and must not queue
  -- behind a matching run for the settings lock.
  IF TG_OP = 'UPDATE' THEN
    IF NOT EXISTS (
      SELECT 1 FROM new_rows n JOIN old_rows o ON o.id = n.id
      WHERE (n.eoi_id, n.return_case_id, n.matched_at, n.matched_by, n.unmatched_at)
            IS DISTINCT FROM (o.eoi_id, o.return_case_id, o.matched_at, o.matched_by, o.unmatched_at)
    ) THEN
      RETURN NULL;
    END IF;
  END IF;
  PERFORM 1 FROM scheme_settings WHERE id = 1 FOR UPDATE;
  IF EXISTS (SELECT 1 FROM new_rows n WHERE NOT EXISTS (SELECT 1 FROM eois e WHERE e.id = n.eoi_id)) THEN
    RAISE EXCEPTION 'matches.eoi_id must name an EOI' USING ERRCODE = 'foreign_key_violation';
  END IF;
  IF EXISTS (SELECT 1 FROM new_rows n WHERE n.matched_by IS NOT NULL
             AND NOT EXISTS (SELECT 1 FROM staff_users s WHERE s.id = n.matched_by)) THEN
    RAISE EXCEPTION 'matches.matched_by must name a member of staff' USING ERRCODE = 'foreign_key_violation';
  END IF;
  IF EXISTS (SELECT 1 FROM new_rows n LEFT JOIN return_cases r ON r.id = n.return_case_id
             WHERE n.return_case_id IS NOT NULL AND n.unmatched_at IS NULL
               AND r.stage IS DISTINCT FROM 'transferred') THEN
    RAISE EXCEPTION 'only a completed (transferred) return can be matched' USING ERRCODE = 'foreign_key_violation';
  END IF;

  CREATE TEMP TABLE IF NOT EXISTS pg_temp.match_delta (ahead int, week date, n int) ON COMMIT DROP;
  INSERT INTO pg_temp.match_delta
    SELECT (return_case_id IS NULL)::int, admission_week(matched_at), 1 FROM new_rows WHERE unmatched_at IS NULL;
  IF TG_OP = 'UPDATE' THEN
    INSERT INTO pg_temp.match_delta
      SELECT -(return_case_id IS NULL)::int, admission_week(matched_at), -1 FROM old_rows WHERE unmatched_at IS NULL;
  END IF;
  SELECT coalesce(sum(d.ahead), 0) INTO ahead FROM pg_temp.match_delta d;
  IF ahead <> 0 THEN
    UPDATE scheme_settings SET admissions_ahead = admissions_ahead + ahead WHERE id = 1;
  END IF;
  INSERT INTO admission_weeks (week_start, admitted, cap)
    SELECT DISTINCT d.week, 0, s.weekly_cap FROM pg_temp.match_delta d, scheme_settings s WHERE s.id = 1
    ON CONFLICT (week_start) DO NOTHING;
  UPDATE admission_weeks w SET admitted = w.admitted + d.n
    FROM (SELECT week, sum(n) AS n FROM pg_temp.match_delta GROUP BY week HAVING sum(n) <> 0) d
    WHERE w.week_start = d.week;
  DELETE FROM pg_temp.match_delta;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER matches_keep_invariants_insert AFTER INSERT ON matches
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION matches_keep_invariants();
--> statement-breakpoint
CREATE TRIGGER matches_keep_invariants_update AFTER UPDATE ON matches
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION matches_keep_invariants();
--> statement-breakpoint
-- Matches are history: unmatching stamps the row, nothing deletes it.
CREATE FUNCTION matches_refuse_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'matches are never deleted (unmatch instead)' USING ERRCODE = 'insufficient_privilege';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER matches_no_delete BEFORE DELETE ON matches FOR EACH ROW EXECUTE FUNCTION matches_refuse_delete();
--> statement-breakpoint
CREATE TRIGGER matches_no_truncate BEFORE TRUNCATE ON matches FOR EACH STATEMENT EXECUTE FUNCTION matches_refuse_delete();
--> statement-breakpoint
-- The other side of matches_check_references: a return with an active match stays transferred
-- and is never deleted. Both take the settings row lock first, so whichever commits second sees
-- the other's change.
CREATE FUNCTION return_cases_keep_matched() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM 1 FROM scheme_settings WHERE id = 1 FOR UPDATE;
  IF EXISTS (SELECT 1 FROM matches WHERE return_case_id = OLD.id AND unmatched_at IS NULL) THEN
    RAISE EXCEPTION 'return % is matched: unmatch it first', OLD.person_ref USING ERRCODE = 'foreign_key_violation';
  END IF;
  RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER return_cases_keep_matched_stage BEFORE UPDATE OF stage ON return_cases
  FOR EACH ROW WHEN (OLD.stage = 'transferred' AND NEW.stage <> 'transferred')
  EXECUTE FUNCTION return_cases_keep_matched();
--> statement-breakpoint
CREATE TRIGGER return_cases_keep_matched_delete BEFORE DELETE ON return_cases
  FOR EACH ROW EXECUTE FUNCTION return_cases_keep_matched();
--> statement-breakpoint
-- A new weekly cap applies from the current week on; lowering it under what a week has already
-- admitted fails admission_weeks' check, so the admin is told instead of the cap being ignored.
CREATE FUNCTION scheme_settings_apply_weekly_cap() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE admission_weeks SET cap = NEW.weekly_cap WHERE week_start >= admission_week(now());
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER scheme_settings_weekly_cap AFTER UPDATE OF weekly_cap ON scheme_settings
  FOR EACH ROW WHEN (OLD.weekly_cap IS DISTINCT FROM NEW.weekly_cap)
  EXECUTE FUNCTION scheme_settings_apply_weekly_cap();
