CREATE TABLE "appointments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"eoi_id" uuid NOT NULL,
	"slot_id" uuid NOT NULL,
	"status" text DEFAULT 'booked' NOT NULL,
	"reschedule_count" integer DEFAULT 0 NOT NULL,
	"rescheduled_from" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"cancelled_at" timestamp with time zone,
	"cancel_reason" text,
	"checked_in_at" timestamp with time zone,
	"document_matches" boolean,
	"mismatch_reason" text,
	CONSTRAINT "appointments_cancelled_check" CHECK (("appointments"."status" = 'cancelled') = ("appointments"."cancelled_at" is not null and "appointments"."cancel_reason" is not null)),
	CONSTRAINT "appointments_reschedule_count_check" CHECK ("appointments"."reschedule_count" >= 0),
	CONSTRAINT "appointments_mismatch_reason_check" CHECK ("appointments"."document_matches" is distinct from false or "appointments"."mismatch_reason" is not null)
);
--> statement-breakpoint
CREATE TABLE "centre_closures" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"centre_id" uuid NOT NULL,
	"date" date NOT NULL,
	"reason" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "centre_closures_centre_date_uniq" UNIQUE("centre_id","date")
);
--> statement-breakpoint
CREATE TABLE "slot_patterns" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"centre_id" uuid NOT NULL,
	"weekday" integer NOT NULL,
	"start_time" time NOT NULL,
	"end_time" time NOT NULL,
	"slot_minutes" integer NOT NULL,
	"places" integer NOT NULL,
	"valid_from" date NOT NULL,
	"valid_to" date,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "slot_patterns_weekday_check" CHECK ("slot_patterns"."weekday" between 1 and 7),
	CONSTRAINT "slot_patterns_times_check" CHECK ("slot_patterns"."end_time" > "slot_patterns"."start_time"),
	CONSTRAINT "slot_patterns_slot_minutes_check" CHECK ("slot_patterns"."slot_minutes" between 5 and 240),
	CONSTRAINT "slot_patterns_places_check" CHECK ("slot_patterns"."places" between 1 and 100),
	CONSTRAINT "slot_patterns_validity_check" CHECK ("slot_patterns"."valid_to" is null or "slot_patterns"."valid_to" >= "slot_patterns"."valid_from")
);
--> statement-breakpoint
CREATE TABLE "slots" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"centre_id" uuid NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone NOT NULL,
	"capacity" integer NOT NULL,
	"booked" integer DEFAULT 0 NOT NULL,
	"withdrawn_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "slots_centre_starts_at_uniq" UNIQUE("centre_id","starts_at"),
	CONSTRAINT "slots_booked_within_capacity_check" CHECK ("slots"."booked" <= "slots"."capacity"),
	CONSTRAINT "slots_booked_non_negative_check" CHECK ("slots"."booked" >= 0),
	CONSTRAINT "slots_capacity_non_negative_check" CHECK ("slots"."capacity" >= 0),
	CONSTRAINT "slots_times_check" CHECK ("slots"."ends_at" > "slots"."starts_at")
);
--> statement-breakpoint
ALTER TABLE "appointments" ADD CONSTRAINT "appointments_eoi_id_eois_id_fk" FOREIGN KEY ("eoi_id") REFERENCES "public"."eois"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "appointments" ADD CONSTRAINT "appointments_slot_id_slots_id_fk" FOREIGN KEY ("slot_id") REFERENCES "public"."slots"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "appointments" ADD CONSTRAINT "appointments_rescheduled_from_appointments_id_fk" FOREIGN KEY ("rescheduled_from") REFERENCES "public"."appointments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "centre_closures" ADD CONSTRAINT "centre_closures_centre_id_centres_id_fk" FOREIGN KEY ("centre_id") REFERENCES "public"."centres"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "slot_patterns" ADD CONSTRAINT "slot_patterns_centre_id_centres_id_fk" FOREIGN KEY ("centre_id") REFERENCES "public"."centres"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "slots" ADD CONSTRAINT "slots_centre_id_centres_id_fk" FOREIGN KEY ("centre_id") REFERENCES "public"."centres"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "appointments_eoi_active_uniq" ON "appointments" USING btree ("eoi_id") WHERE "appointments"."status" = 'booked';--> statement-breakpoint
CREATE INDEX "appointments_eoi_idx" ON "appointments" USING btree ("eoi_id","created_at");--> statement-breakpoint
CREATE INDEX "appointments_slot_idx" ON "appointments" USING btree ("slot_id","status");--> statement-breakpoint
CREATE INDEX "slot_patterns_centre_idx" ON "slot_patterns" USING btree ("centre_id","weekday");