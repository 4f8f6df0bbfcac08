ALTER TABLE "target_changes" ADD COLUMN IF NOT EXISTS "owner" text;--> statement-breakpoint
ALTER TABLE "target_changes" ADD COLUMN IF NOT EXISTS "due" date;