ALTER TABLE "application_windows" ADD COLUMN "submitted_count" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
-- Hand-written: the windows that already have EOIs start from their count.
UPDATE "application_windows" w SET "submitted_count" = (SELECT count(*) FROM "eois" e WHERE e."window_id" = w."id" AND e."status" <> 'draft');
