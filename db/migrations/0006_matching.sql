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
	"return_stage" text DEFAULT 'transferred' NOT NULL,
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
	CONSTRAINT "matches_return_stage_check" CHECK ("matches"."return_stage" = 'transferred'),
	CONSTRAINT "matches_unmatch_check" CHECK (("matches"."unmatched_at" is null) = ("matches"."unmatch_reason" is null)),
	CONSTRAINT "matches_arrival_check" CHECK ("matches"."arrived_at" is null or "matches"."unmatched_at" is null)
);
--> statement-breakpoint
ALTER TABLE "eois" ADD COLUMN "match_priority" integer DEFAULT 3 NOT NULL;--> statement-breakpoint
ALTER TABLE "return_cases" ADD COLUMN "age_category" text DEFAULT 'adult' NOT NULL;--> statement-breakpoint
ALTER TABLE "return_cases" ADD COLUMN "stage_note" text;--> statement-breakpoint
ALTER TABLE "return_cases" ADD COLUMN "import_id" uuid;--> statement-breakpoint
ALTER TABLE "return_cases" ADD COLUMN "updated_at" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
ALTER TABLE "scheme_settings" ADD COLUMN "admissions_ahead" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "scheme_settings" ADD COLUMN "weekly_cap" integer;--> statement-breakpoint
ALTER TABLE "return_imports" ADD CONSTRAINT "return_imports_staff_id_staff_users_id_fk" FOREIGN KEY ("staff_id") REFERENCES "public"."staff_users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "matches" ADD CONSTRAINT "matches_eoi_id_eois_id_fk" FOREIGN KEY ("eoi_id") REFERENCES "public"."eois"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "matches" ADD CONSTRAINT "matches_matched_by_staff_users_id_fk" FOREIGN KEY ("matched_by") REFERENCES "public"."staff_users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "matches" ADD CONSTRAINT "matches_unmatched_by_staff_users_id_fk" FOREIGN KEY ("unmatched_by") REFERENCES "public"."staff_users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "return_cases" ADD CONSTRAINT "return_cases_id_stage_uniq" UNIQUE("id","stage");--> statement-breakpoint
ALTER TABLE "matches" ADD CONSTRAINT "matches_return_transferred_fk" FOREIGN KEY ("return_case_id","return_stage") REFERENCES "public"."return_cases"("id","stage") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "matches_eoi_active_uniq" ON "matches" USING btree ("eoi_id") WHERE "matches"."unmatched_at" is null;--> statement-breakpoint
CREATE UNIQUE INDEX "matches_return_active_uniq" ON "matches" USING btree ("return_case_id") WHERE "matches"."unmatched_at" is null;--> statement-breakpoint
CREATE INDEX "matches_ahead_idx" ON "matches" USING btree ("matched_at","id") WHERE "matches"."unmatched_at" is null and "matches"."return_case_id" is null;--> statement-breakpoint
CREATE INDEX "matches_unannounced_idx" ON "matches" USING btree ("matched_at") WHERE "matches"."announced_at" is null;--> statement-breakpoint
CREATE INDEX "matches_matched_at_idx" ON "matches" USING btree ("matched_at");--> statement-breakpoint
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
-- Keeps scheme_settings.admissions_ahead and admission_weeks.admitted equal to what `matches`
-- holds, so their checks refuse any change (from this application or plain SQL) that would put
-- admissions over completed returns + tolerance, or over the week's cap. Statement-level with
-- transition tables: matching 100,000 people updates each counter once, not 100,000 times.
CREATE FUNCTION matches_count_insert() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  ahead integer;
BEGIN
  SELECT count(*) FILTER (WHERE return_case_id IS NULL) INTO ahead FROM new_rows WHERE unmatched_at IS NULL;
  IF ahead <> 0 THEN
    UPDATE scheme_settings SET admissions_ahead = admissions_ahead + ahead WHERE id = 1;
  END IF;
  INSERT INTO admission_weeks AS w (week_start, admitted, cap)
    SELECT admission_week(matched_at), count(*), (SELECT weekly_cap FROM scheme_settings WHERE id = 1)
    FROM new_rows WHERE unmatched_at IS NULL GROUP BY 1
    ON CONFLICT (week_start) DO UPDATE SET admitted = w.admitted + excluded.admitted;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE FUNCTION matches_count_update() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  ahead integer;
BEGIN
  SELECT coalesce(sum(d), 0) INTO ahead FROM (
    SELECT 1 AS d FROM new_rows WHERE unmatched_at IS NULL AND return_case_id IS NULL
    UNION ALL
    SELECT -1 FROM old_rows WHERE unmatched_at IS NULL AND return_case_id IS NULL
  ) x;
  IF ahead <> 0 THEN
    UPDATE scheme_settings SET admissions_ahead = admissions_ahead + ahead WHERE id = 1;
  END IF;
  INSERT INTO admission_weeks (week_start, admitted, cap)
    SELECT DISTINCT admission_week(matched_at), 0, (SELECT weekly_cap FROM scheme_settings WHERE id = 1)
    FROM new_rows WHERE unmatched_at IS NULL
    ON CONFLICT (week_start) DO NOTHING;
  UPDATE admission_weeks w SET admitted = w.admitted + d.n
    FROM (
      SELECT week, sum(d) AS n FROM (
        SELECT admission_week(matched_at) AS week, 1 AS d FROM new_rows WHERE unmatched_at IS NULL
        UNION ALL
        SELECT admission_week(matched_at), -1 FROM old_rows WHERE unmatched_at IS NULL
      ) x GROUP BY week HAVING sum(d) <> 0
    ) d
    WHERE w.week_start = d.week;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER matches_count_insert AFTER INSERT ON matches
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION matches_count_insert();
--> statement-breakpoint
CREATE TRIGGER matches_count_update AFTER UPDATE ON matches
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION matches_count_update();
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
