CREATE TABLE "case_claims" (
	"eoi_id" uuid PRIMARY KEY NOT NULL,
	"staff_id" uuid NOT NULL,
	"claimed_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "case_notes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"eoi_id" uuid NOT NULL,
	"staff_id" uuid NOT NULL,
	"body_enc" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "eois" ADD COLUMN "booking_deadline" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "case_claims" ADD CONSTRAINT "case_claims_eoi_id_eois_id_fk" FOREIGN KEY ("eoi_id") REFERENCES "public"."eois"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_claims" ADD CONSTRAINT "case_claims_staff_id_staff_users_id_fk" FOREIGN KEY ("staff_id") REFERENCES "public"."staff_users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_notes" ADD CONSTRAINT "case_notes_eoi_id_eois_id_fk" FOREIGN KEY ("eoi_id") REFERENCES "public"."eois"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_notes" ADD CONSTRAINT "case_notes_staff_id_staff_users_id_fk" FOREIGN KEY ("staff_id") REFERENCES "public"."staff_users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "case_claims_staff_idx" ON "case_claims" USING btree ("staff_id");--> statement-breakpoint
CREATE INDEX "case_notes_eoi_idx" ON "case_notes" USING btree ("eoi_id","created_at");--> statement-breakpoint
CREATE INDEX "eois_queue_idx" ON "eois" USING btree ("submitted_at","id") WHERE "eois"."status" <> 'draft';--> statement-breakpoint
CREATE INDEX "eois_window_queue_idx" ON "eois" USING btree ("window_id","submitted_at","id");--> statement-breakpoint
CREATE INDEX "eois_nationality_queue_idx" ON "eois" USING btree ("nationality","submitted_at","id");--> statement-breakpoint
CREATE INDEX "eois_name_hash_idx" ON "eois" USING btree ("name_hash");