CREATE TABLE IF NOT EXISTS "sprints" (
	"id" serial PRIMARY KEY NOT NULL,
	"source" text NOT NULL,
	"external_id" text NOT NULL,
	"raw" jsonb NOT NULL,
	"stored_at" timestamp with time zone DEFAULT now() NOT NULL,
	"container" text NOT NULL,
	"board_id" integer NOT NULL,
	"board_name" text NOT NULL,
	"sprint_id" integer NOT NULL,
	"name" text NOT NULL,
	"state" text NOT NULL,
	"started_at" timestamp with time zone,
	"ends_at" timestamp with time zone,
	"completed_at" timestamp with time zone
);
--> statement-breakpoint
CREATE UNIQUE INDEX IF NOT EXISTS "sprints_key" ON "sprints" USING btree ("source","external_id");--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "sprints_container" ON "sprints" USING btree ("container","started_at");