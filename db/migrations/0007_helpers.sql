CREATE TABLE "helper_consents" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"eoi_id" uuid NOT NULL,
	"organisation_id" uuid NOT NULL,
	"recorded_by" uuid NOT NULL,
	"assigned_helper_id" uuid NOT NULL,
	"applicant_name_enc" text NOT NULL,
	"method" text NOT NULL,
	"lang" text NOT NULL,
	"text_shown" text NOT NULL,
	"given_at" timestamp with time zone NOT NULL,
	"revoked_at" timestamp with time zone,
	"revoked_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "helper_users" ADD COLUMN "totp_last_step" integer;--> statement-breakpoint
ALTER TABLE "helper_users" ADD COLUMN "invite_token_hash" text;--> statement-breakpoint
ALTER TABLE "helper_users" ADD COLUMN "invite_expires_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "helper_consents" ADD CONSTRAINT "helper_consents_eoi_id_eois_id_fk" FOREIGN KEY ("eoi_id") REFERENCES "public"."eois"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "helper_consents" ADD CONSTRAINT "helper_consents_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "helper_consents" ADD CONSTRAINT "helper_consents_recorded_by_helper_users_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."helper_users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "helper_consents" ADD CONSTRAINT "helper_consents_assigned_helper_id_helper_users_id_fk" FOREIGN KEY ("assigned_helper_id") REFERENCES "public"."helper_users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "helper_consents_one_in_force_idx" ON "helper_consents" USING btree ("eoi_id") WHERE "helper_consents"."revoked_at" is null;--> statement-breakpoint
CREATE INDEX "helper_consents_caseload_idx" ON "helper_consents" USING btree ("organisation_id","created_at") WHERE "helper_consents"."revoked_at" is null;--> statement-breakpoint
ALTER TABLE "helper_users" ADD CONSTRAINT "helper_users_invite_token_uniq" UNIQUE("invite_token_hash");--> statement-breakpoint
-- Hand-written: a case is only ever led (and its consent recorded) by a helper of the organisation
-- that holds the consent, whatever writes the row (docs/decisions/016-helpers.md).
ALTER TABLE "helper_users" ADD CONSTRAINT "helper_users_id_org_uniq" UNIQUE("id", "organisation_id");--> statement-breakpoint
ALTER TABLE "helper_consents" ADD CONSTRAINT "helper_consents_assigned_same_org_fk" FOREIGN KEY ("assigned_helper_id", "organisation_id") REFERENCES "public"."helper_users"("id", "organisation_id");--> statement-breakpoint
ALTER TABLE "helper_consents" ADD CONSTRAINT "helper_consents_recorded_same_org_fk" FOREIGN KEY ("recorded_by", "organisation_id") REFERENCES "public"."helper_users"("id", "organisation_id");--> statement-breakpoint
ALTER TABLE "eois" ADD CONSTRAINT "eois_helper_organisation_fk" FOREIGN KEY ("helper_organisation_id") REFERENCES "public"."organisations"("id");
