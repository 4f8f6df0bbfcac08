ALTER TABLE "commits" ADD COLUMN IF NOT EXISTS "line_position" integer;--> statement-breakpoint
ALTER TABLE "commits" ADD COLUMN IF NOT EXISTS "landed_position" integer;--> statement-breakpoint
ALTER TABLE "pull_request_commits" ADD COLUMN IF NOT EXISTS "on_default_before_merge" boolean DEFAULT false NOT NULL;--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "commits_repo_line" ON "commits" USING btree ("repo","line_position");--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "commits_repo_landed" ON "commits" USING btree ("repo","landed_position");