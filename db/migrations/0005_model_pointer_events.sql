CREATE TABLE IF NOT EXISTS "model_pointer_events" (
	"id" serial PRIMARY KEY NOT NULL,
	"source" text NOT NULL,
	"external_id" text NOT NULL,
	"raw" jsonb NOT NULL,
	"stored_at" timestamp with time zone DEFAULT now() NOT NULL,
	"model" text NOT NULL,
	"pointer" text NOT NULL,
	"version" text NOT NULL,
	"change" text NOT NULL,
	"at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX IF NOT EXISTS "model_pointer_events_key" ON "model_pointer_events" USING btree ("source","external_id");--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "model_pointer_events_model" ON "model_pointer_events" USING btree ("model","at");