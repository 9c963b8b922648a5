CREATE TABLE "centres" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"address" text NOT NULL,
	"city" text NOT NULL,
	"timezone" text DEFAULT 'Europe/Paris' NOT NULL,
	"opening_hours" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "centres_code_uniq" UNIQUE("code")
);
--> statement-breakpoint
CREATE TABLE "eoi_flags" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"eoi_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"evidence_type" text,
	"evidence_id" uuid,
	"details" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"resolved" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "eois" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"status" text DEFAULT 'draft' NOT NULL,
	"lang" text NOT NULL,
	"answers_enc" text NOT NULL,
	"email_hash" text,
	"mobile_hash" text,
	"contact_verified_at" timestamp with time zone,
	"reference" text,
	"window_id" uuid,
	"family_role" text,
	"family_group_id" uuid,
	"nationality" text,
	"identity_hash" text,
	"document_hash" text,
	"name_hash" text,
	"helper_organisation_id" uuid,
	"submitted_at" timestamp with time zone,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "eois_reference_uniq" UNIQUE("reference"),
	CONSTRAINT "eois_submitted_check" CHECK ("eois"."status" = 'draft' or ("eois"."reference" is not null and "eois"."window_id" is not null and "eois"."submitted_at" is not null)),
	CONSTRAINT "eois_reference_format_check" CHECK ("eois"."reference" is null or "eois"."reference" ~ '^[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{2}$')
);
--> statement-breakpoint
CREATE TABLE "family_groups" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"family_reference" text NOT NULL,
	"window_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "family_groups_family_reference_uniq" UNIQUE("family_reference"),
	CONSTRAINT "family_groups_reference_format_check" CHECK ("family_groups"."family_reference" ~ '^F-[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]$')
);
--> statement-breakpoint
CREATE TABLE "otp_codes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"purpose" text NOT NULL,
	"target_hash" text NOT NULL,
	"code_hash" text NOT NULL,
	"eoi_id" uuid,
	"attempts" integer DEFAULT 0 NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"consumed_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "presence_checks" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"eoi_id" uuid NOT NULL,
	"token_hash" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"completed_at" timestamp with time zone,
	"result" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "presence_checks_token_hash_uniq" UNIQUE("token_hash")
);
--> statement-breakpoint
CREATE TABLE "status_history" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"eoi_id" uuid NOT NULL,
	"from_status" text,
	"to_status" text NOT NULL,
	"reason_code" text,
	"actor_type" text NOT NULL,
	"actor_id" text,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "uploads" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"eoi_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"content_type" text NOT NULL,
	"size_bytes" integer NOT NULL,
	"sha256" text NOT NULL,
	"width" integer,
	"height" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"replaced_at" timestamp with time zone,
	CONSTRAINT "uploads_size_check" CHECK ("uploads"."size_bytes" > 0)
);
--> statement-breakpoint
CREATE TABLE "audit_log" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"actor_type" text NOT NULL,
	"actor_id" text,
	"on_behalf_of" text,
	"action" text NOT NULL,
	"subject_type" text,
	"subject_id" text,
	"ip" text,
	"request_id" text,
	"details" jsonb DEFAULT '{}'::jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "notifications" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"dedupe_key" text NOT NULL,
	"channel" text NOT NULL,
	"recipient_enc" text NOT NULL,
	"template" text NOT NULL,
	"lang" text NOT NULL,
	"params_enc" text NOT NULL,
	"eoi_id" uuid,
	"status" text DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone DEFAULT now() NOT NULL,
	"claim_token" uuid,
	"sent_at" timestamp with time zone,
	"last_error" text
);
--> statement-breakpoint
CREATE TABLE "rate_limits" (
	"key" text PRIMARY KEY NOT NULL,
	"count" integer NOT NULL,
	"window_ends_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sessions" (
	"id" text PRIMARY KEY NOT NULL,
	"subject" text,
	"data" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "helper_users" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organisation_id" uuid NOT NULL,
	"email" text NOT NULL,
	"name" text NOT NULL,
	"role" text DEFAULT 'helper' NOT NULL,
	"lang" text DEFAULT 'fr' NOT NULL,
	"password_hash" text,
	"totp_secret_enc" text,
	"failed_attempts" integer DEFAULT 0 NOT NULL,
	"locked_until" timestamp with time zone,
	"sessions_valid_after" timestamp with time zone DEFAULT now() NOT NULL,
	"suspended_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "helper_users_email_uniq" UNIQUE("email"),
	CONSTRAINT "helper_users_email_lower_check" CHECK ("helper_users"."email" = lower("helper_users"."email"))
);
--> statement-breakpoint
CREATE TABLE "organisations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"city" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "organisations_name_uniq" UNIQUE("name")
);
--> statement-breakpoint
CREATE TABLE "staff_users" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"email" text NOT NULL,
	"name" text NOT NULL,
	"role" text NOT NULL,
	"lang" text DEFAULT 'en' NOT NULL,
	"password_hash" text NOT NULL,
	"totp_secret_enc" text,
	"totp_last_step" integer,
	"failed_attempts" integer DEFAULT 0 NOT NULL,
	"locked_until" timestamp with time zone,
	"sessions_valid_after" timestamp with time zone DEFAULT now() NOT NULL,
	"disabled_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "staff_users_email_uniq" UNIQUE("email")
);
--> statement-breakpoint
CREATE TABLE "return_cases" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"person_ref" text NOT NULL,
	"identity_enc" text NOT NULL,
	"nationality" text NOT NULL,
	"identity_hash" text NOT NULL,
	"document_hash" text,
	"stage" text DEFAULT 'arrived' NOT NULL,
	"small_boat_arrival_at" timestamp with time zone NOT NULL,
	"readmission_requested_at" timestamp with time zone,
	"france_responded_at" timestamp with time zone,
	"removal_directions_at" timestamp with time zone,
	"transferred_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "return_cases_person_ref_uniq" UNIQUE("person_ref"),
	CONSTRAINT "return_cases_transferred_check" CHECK (("return_cases"."stage" = 'transferred') = ("return_cases"."transferred_at" is not null))
);
--> statement-breakpoint
CREATE TABLE "application_windows" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"opens_at" timestamp with time zone NOT NULL,
	"closes_at" timestamp with time zone NOT NULL,
	"cap" integer,
	"paused_at" timestamp with time zone,
	"pause_reason" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "application_windows_dates_check" CHECK ("application_windows"."closes_at" > "application_windows"."opens_at"),
	CONSTRAINT "application_windows_cap_check" CHECK ("application_windows"."cap" is null or "application_windows"."cap" > 0)
);
--> statement-breakpoint
CREATE TABLE "scheme_settings" (
	"id" integer PRIMARY KEY DEFAULT 1 NOT NULL,
	"suspended" boolean DEFAULT false NOT NULL,
	"parity_policy" text DEFAULT 'strict' NOT NULL,
	"parity_tolerance" integer DEFAULT 0 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "scheme_settings_singleton_check" CHECK ("scheme_settings"."id" = 1),
	CONSTRAINT "scheme_settings_tolerance_check" CHECK ("scheme_settings"."parity_tolerance" >= 0)
);
--> statement-breakpoint
ALTER TABLE "eoi_flags" ADD CONSTRAINT "eoi_flags_eoi_id_eois_id_fk" FOREIGN KEY ("eoi_id") REFERENCES "public"."eois"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "eois" ADD CONSTRAINT "eois_window_id_application_windows_id_fk" FOREIGN KEY ("window_id") REFERENCES "public"."application_windows"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "eois" ADD CONSTRAINT "eois_family_group_id_family_groups_id_fk" FOREIGN KEY ("family_group_id") REFERENCES "public"."family_groups"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "family_groups" ADD CONSTRAINT "family_groups_window_id_application_windows_id_fk" FOREIGN KEY ("window_id") REFERENCES "public"."application_windows"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "otp_codes" ADD CONSTRAINT "otp_codes_eoi_id_eois_id_fk" FOREIGN KEY ("eoi_id") REFERENCES "public"."eois"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "presence_checks" ADD CONSTRAINT "presence_checks_eoi_id_eois_id_fk" FOREIGN KEY ("eoi_id") REFERENCES "public"."eois"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "status_history" ADD CONSTRAINT "status_history_eoi_id_eois_id_fk" FOREIGN KEY ("eoi_id") REFERENCES "public"."eois"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "uploads" ADD CONSTRAINT "uploads_eoi_id_eois_id_fk" FOREIGN KEY ("eoi_id") REFERENCES "public"."eois"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "helper_users" ADD CONSTRAINT "helper_users_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "eoi_flags_eoi_kind_evidence_uniq" ON "eoi_flags" USING btree ("eoi_id","kind","evidence_id") WHERE "eoi_flags"."evidence_id" is not null;--> statement-breakpoint
CREATE INDEX "eoi_flags_kind_idx" ON "eoi_flags" USING btree ("kind","eoi_id");--> statement-breakpoint
CREATE INDEX "eois_email_hash_idx" ON "eois" USING btree ("email_hash");--> statement-breakpoint
CREATE INDEX "eois_mobile_hash_idx" ON "eois" USING btree ("mobile_hash");--> statement-breakpoint
CREATE INDEX "eois_identity_hash_idx" ON "eois" USING btree ("identity_hash");--> statement-breakpoint
CREATE INDEX "eois_document_hash_idx" ON "eois" USING btree ("document_hash");--> statement-breakpoint
CREATE INDEX "eois_status_submitted_idx" ON "eois" USING btree ("status","submitted_at","id");--> statement-breakpoint
CREATE INDEX "eois_family_group_idx" ON "eois" USING btree ("family_group_id");--> statement-breakpoint
CREATE INDEX "otp_codes_target_idx" ON "otp_codes" USING btree ("purpose","target_hash","created_at");--> statement-breakpoint
CREATE INDEX "presence_checks_eoi_idx" ON "presence_checks" USING btree ("eoi_id");--> statement-breakpoint
CREATE INDEX "status_history_eoi_idx" ON "status_history" USING btree ("eoi_id","at");--> statement-breakpoint
CREATE INDEX "uploads_eoi_idx" ON "uploads" USING btree ("eoi_id");--> statement-breakpoint
CREATE INDEX "audit_log_subject_idx" ON "audit_log" USING btree ("subject_type","subject_id");--> statement-breakpoint
CREATE INDEX "audit_log_actor_idx" ON "audit_log" USING btree ("actor_type","actor_id");--> statement-breakpoint
CREATE INDEX "audit_log_at_idx" ON "audit_log" USING btree ("at");--> statement-breakpoint
CREATE UNIQUE INDEX "notifications_dedupe_key_uniq" ON "notifications" USING btree ("dedupe_key");--> statement-breakpoint
CREATE INDEX "notifications_due_idx" ON "notifications" USING btree ("status","next_attempt_at");--> statement-breakpoint
CREATE INDEX "notifications_eoi_idx" ON "notifications" USING btree ("eoi_id");--> statement-breakpoint
CREATE INDEX "sessions_subject_idx" ON "sessions" USING btree ("subject");--> statement-breakpoint
CREATE INDEX "sessions_expires_at_idx" ON "sessions" USING btree ("expires_at");--> statement-breakpoint
CREATE INDEX "return_cases_identity_hash_idx" ON "return_cases" USING btree ("identity_hash");--> statement-breakpoint
CREATE INDEX "return_cases_document_hash_idx" ON "return_cases" USING btree ("document_hash");