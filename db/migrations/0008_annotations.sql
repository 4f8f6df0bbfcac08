CREATE TABLE IF NOT EXISTS "annotations" (
	"id" serial PRIMARY KEY NOT NULL,
	"project" text NOT NULL,
	"kpi" text DEFAULT '' NOT NULL,
	"at" date NOT NULL,
	"text" text NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX IF NOT EXISTS "annotations_key" ON "annotations" USING btree ("project","kpi","at","text");--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "annotations_project_at" ON "annotations" USING btree ("project","at");
