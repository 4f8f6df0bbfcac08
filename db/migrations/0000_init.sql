CREATE TABLE "data_quality_issues" (
	"id" serial PRIMARY KEY NOT NULL,
	"source" text NOT NULL,
	"external_id" text NOT NULL,
	"raw" jsonb NOT NULL,
	"stored_at" timestamp with time zone DEFAULT now() NOT NULL,
	"dataset" text NOT NULL,
	"detected_at" timestamp with time zone NOT NULL,
	"resolved_at" timestamp with time zone,
	"description" text
);
--> statement-breakpoint
CREATE TABLE "data_refreshes" (
	"id" serial PRIMARY KEY NOT NULL,
	"source" text NOT NULL,
	"external_id" text NOT NULL,
	"raw" jsonb NOT NULL,
	"stored_at" timestamp with time zone DEFAULT now() NOT NULL,
	"dataset" text NOT NULL,
	"status" text NOT NULL,
	"finished_at" timestamp with time zone NOT NULL,
	"started_at" timestamp with time zone,
	"rows" bigint
);
--> statement-breakpoint
CREATE TABLE "deployments" (
	"id" serial PRIMARY KEY NOT NULL,
	"source" text NOT NULL,
	"external_id" text NOT NULL,
	"raw" jsonb NOT NULL,
	"stored_at" timestamp with time zone DEFAULT now() NOT NULL,
	"service" text,
	"environment" text NOT NULL,
	"status" text NOT NULL,
	"kind" text DEFAULT 'code' NOT NULL,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone NOT NULL,
	"version" text,
	"repo" text,
	"commit_sha" text,
	"ref" text,
	"model" text,
	"hotfix" boolean DEFAULT false NOT NULL
);
--> statement-breakpoint
CREATE TABLE "incidents" (
	"id" serial PRIMARY KEY NOT NULL,
	"source" text NOT NULL,
	"external_id" text NOT NULL,
	"raw" jsonb NOT NULL,
	"stored_at" timestamp with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"resolved_at" timestamp with time zone,
	"service" text,
	"title" text,
	"severity" text,
	"deployment_id" text,
	"commit_sha" text
);
--> statement-breakpoint
CREATE TABLE "model_metrics" (
	"id" serial PRIMARY KEY NOT NULL,
	"source" text NOT NULL,
	"external_id" text NOT NULL,
	"raw" jsonb NOT NULL,
	"stored_at" timestamp with time zone DEFAULT now() NOT NULL,
	"model" text NOT NULL,
	"metric" text NOT NULL,
	"value" double precision NOT NULL,
	"observed_at" timestamp with time zone NOT NULL,
	"version" text,
	"environment" text DEFAULT 'production' NOT NULL,
	"direction" text
);
--> statement-breakpoint
CREATE TABLE "model_sla_observations" (
	"id" serial PRIMARY KEY NOT NULL,
	"source" text NOT NULL,
	"external_id" text NOT NULL,
	"raw" jsonb NOT NULL,
	"stored_at" timestamp with time zone DEFAULT now() NOT NULL,
	"model" text NOT NULL,
	"objective" text NOT NULL,
	"value" double precision NOT NULL,
	"limit" double precision NOT NULL,
	"observed_at" timestamp with time zone NOT NULL,
	"direction" text DEFAULT 'max' NOT NULL
);
--> statement-breakpoint
CREATE TABLE "commits" (
	"id" serial PRIMARY KEY NOT NULL,
	"source" text NOT NULL,
	"external_id" text NOT NULL,
	"raw" jsonb NOT NULL,
	"stored_at" timestamp with time zone DEFAULT now() NOT NULL,
	"repo" text NOT NULL,
	"sha" text NOT NULL,
	"parents" text[] DEFAULT '{}' NOT NULL,
	"authored_at" timestamp with time zone NOT NULL,
	"committed_at" timestamp with time zone,
	"message" text,
	"on_default_branch" boolean DEFAULT false NOT NULL,
	"pull_number" integer
);
--> statement-breakpoint
CREATE TABLE "pull_request_commits" (
	"repo" text NOT NULL,
	"number" integer NOT NULL,
	"sha" text NOT NULL,
	"authored_at" timestamp with time zone NOT NULL,
	"committed_at" timestamp with time zone,
	"message" text,
	CONSTRAINT "pull_request_commits_repo_number_sha_pk" PRIMARY KEY("repo","number","sha")
);
--> statement-breakpoint
CREATE TABLE "pull_requests" (
	"id" serial PRIMARY KEY NOT NULL,
	"source" text NOT NULL,
	"external_id" text NOT NULL,
	"raw" jsonb NOT NULL,
	"stored_at" timestamp with time zone DEFAULT now() NOT NULL,
	"repo" text NOT NULL,
	"number" integer NOT NULL,
	"title" text NOT NULL,
	"url" text,
	"base_ref" text NOT NULL,
	"head_ref" text NOT NULL,
	"merged_to_default" boolean DEFAULT false NOT NULL,
	"merged_at" timestamp with time zone,
	"merge_commit_sha" text,
	"reverts_number" integer,
	"labels" text[] DEFAULT '{}' NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "releases" (
	"id" serial PRIMARY KEY NOT NULL,
	"source" text NOT NULL,
	"external_id" text NOT NULL,
	"raw" jsonb NOT NULL,
	"stored_at" timestamp with time zone DEFAULT now() NOT NULL,
	"repo" text NOT NULL,
	"tag" text NOT NULL,
	"name" text,
	"url" text,
	"draft" boolean DEFAULT false NOT NULL,
	"prerelease" boolean DEFAULT false NOT NULL,
	"published_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "work_items" (
	"id" serial PRIMARY KEY NOT NULL,
	"source" text NOT NULL,
	"external_id" text NOT NULL,
	"raw" jsonb NOT NULL,
	"stored_at" timestamp with time zone DEFAULT now() NOT NULL,
	"container" text NOT NULL,
	"key" text NOT NULL,
	"title" text NOT NULL,
	"url" text,
	"issue_type" text,
	"labels" text[] DEFAULT '{}' NOT NULL,
	"status" text NOT NULL,
	"status_category" text,
	"resolution" text,
	"created_at" timestamp with time zone NOT NULL,
	"resolved_at" timestamp with time zone,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "ingest_rejections" (
	"id" serial PRIMARY KEY NOT NULL,
	"origin" text NOT NULL,
	"line" integer NOT NULL,
	"raw" text NOT NULL,
	"raw_hash" text NOT NULL,
	"reason" text NOT NULL,
	"rejected_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "ingest_tokens" (
	"id" serial PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"token_hash" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_used_at" timestamp with time zone,
	CONSTRAINT "ingest_tokens_token_hash_unique" UNIQUE("token_hash")
);
--> statement-breakpoint
CREATE TABLE "target_changes" (
	"id" serial PRIMARY KEY NOT NULL,
	"project" text NOT NULL,
	"kpi" text NOT NULL,
	"dimension" text DEFAULT '' NOT NULL,
	"value" double precision,
	"warn" double precision,
	"set_by" text NOT NULL,
	"set_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "stream_states" (
	"source" text NOT NULL,
	"stream" text NOT NULL,
	"cursor" jsonb,
	"etag" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "stream_states_source_stream_pk" PRIMARY KEY("source","stream")
);
--> statement-breakpoint
CREATE TABLE "sync_runs" (
	"id" serial PRIMARY KEY NOT NULL,
	"source" text NOT NULL,
	"trigger" text NOT NULL,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone,
	"status" text DEFAULT 'running' NOT NULL,
	"records" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"requests" integer DEFAULT 0 NOT NULL,
	"error" text
);
--> statement-breakpoint
CREATE TABLE "pull_request_reviews" (
	"id" serial PRIMARY KEY NOT NULL,
	"source" text NOT NULL,
	"external_id" text NOT NULL,
	"raw" jsonb NOT NULL,
	"stored_at" timestamp with time zone DEFAULT now() NOT NULL,
	"repo" text NOT NULL,
	"number" integer NOT NULL,
	"reviewer" text,
	"state" text NOT NULL,
	"submitted_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "work_item_transitions" (
	"id" serial PRIMARY KEY NOT NULL,
	"source" text NOT NULL,
	"external_id" text NOT NULL,
	"raw" jsonb NOT NULL,
	"stored_at" timestamp with time zone DEFAULT now() NOT NULL,
	"item_external_id" text NOT NULL,
	"field" text NOT NULL,
	"from_value" text,
	"to_value" text,
	"changed_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "schedule_claims" (
	"source" text NOT NULL,
	"scheduled_for" timestamp with time zone NOT NULL,
	"claimed_by" text NOT NULL,
	"claimed_at" timestamp with time zone DEFAULT now() NOT NULL,
	"run_id" integer,
	"skipped" text,
	CONSTRAINT "schedule_claims_source_scheduled_for_pk" PRIMARY KEY("source","scheduled_for")
);
--> statement-breakpoint
CREATE TABLE "webhook_deliveries" (
	"delivery_id" text PRIMARY KEY NOT NULL,
	"event" text NOT NULL,
	"action" text,
	"repo" text,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	"raw" jsonb NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX "data_quality_issues_key" ON "data_quality_issues" USING btree ("source","external_id");--> statement-breakpoint
CREATE INDEX "data_quality_issues_detected" ON "data_quality_issues" USING btree ("dataset","detected_at");--> statement-breakpoint
CREATE UNIQUE INDEX "data_refreshes_key" ON "data_refreshes" USING btree ("source","external_id");--> statement-breakpoint
CREATE INDEX "data_refreshes_dataset" ON "data_refreshes" USING btree ("dataset","finished_at");--> statement-breakpoint
CREATE UNIQUE INDEX "deployments_key" ON "deployments" USING btree ("source","external_id");--> statement-breakpoint
CREATE INDEX "deployments_finished" ON "deployments" USING btree ("finished_at");--> statement-breakpoint
CREATE INDEX "deployments_service" ON "deployments" USING btree ("service","finished_at");--> statement-breakpoint
CREATE INDEX "deployments_repo" ON "deployments" USING btree ("repo","finished_at");--> statement-breakpoint
CREATE INDEX "deployments_model" ON "deployments" USING btree ("model","finished_at");--> statement-breakpoint
CREATE INDEX "deployments_commit" ON "deployments" USING btree ("commit_sha");--> statement-breakpoint
CREATE UNIQUE INDEX "incidents_key" ON "incidents" USING btree ("source","external_id");--> statement-breakpoint
CREATE INDEX "incidents_started" ON "incidents" USING btree ("started_at");--> statement-breakpoint
CREATE INDEX "incidents_resolved" ON "incidents" USING btree ("resolved_at");--> statement-breakpoint
CREATE INDEX "incidents_service" ON "incidents" USING btree ("service");--> statement-breakpoint
CREATE UNIQUE INDEX "model_metrics_key" ON "model_metrics" USING btree ("source","external_id");--> statement-breakpoint
CREATE INDEX "model_metrics_model" ON "model_metrics" USING btree ("model","observed_at");--> statement-breakpoint
CREATE UNIQUE INDEX "model_sla_key" ON "model_sla_observations" USING btree ("source","external_id");--> statement-breakpoint
CREATE INDEX "model_sla_model" ON "model_sla_observations" USING btree ("model","observed_at");--> statement-breakpoint
CREATE UNIQUE INDEX "commits_key" ON "commits" USING btree ("source","external_id");--> statement-breakpoint
CREATE UNIQUE INDEX "commits_repo_sha" ON "commits" USING btree ("repo","sha");--> statement-breakpoint
CREATE INDEX "pull_request_commits_sha" ON "pull_request_commits" USING btree ("repo","sha");--> statement-breakpoint
CREATE UNIQUE INDEX "pull_requests_key" ON "pull_requests" USING btree ("source","external_id");--> statement-breakpoint
CREATE UNIQUE INDEX "pull_requests_repo_number" ON "pull_requests" USING btree ("repo","number");--> statement-breakpoint
CREATE INDEX "pull_requests_merge_commit" ON "pull_requests" USING btree ("repo","merge_commit_sha");--> statement-breakpoint
CREATE UNIQUE INDEX "releases_key" ON "releases" USING btree ("source","external_id");--> statement-breakpoint
CREATE INDEX "releases_repo_published" ON "releases" USING btree ("repo","published_at");--> statement-breakpoint
CREATE UNIQUE INDEX "work_items_key" ON "work_items" USING btree ("source","external_id");--> statement-breakpoint
CREATE INDEX "work_items_container_created" ON "work_items" USING btree ("container","created_at");--> statement-breakpoint
CREATE INDEX "work_items_container_resolved" ON "work_items" USING btree ("container","resolved_at");--> statement-breakpoint
CREATE UNIQUE INDEX "ingest_rejections_key" ON "ingest_rejections" USING btree ("origin","line","raw_hash");--> statement-breakpoint
CREATE INDEX "ingest_rejections_at" ON "ingest_rejections" USING btree ("rejected_at");--> statement-breakpoint
CREATE INDEX "target_changes_lookup" ON "target_changes" USING btree ("project","kpi","dimension","set_at");--> statement-breakpoint
CREATE INDEX "sync_runs_source_started" ON "sync_runs" USING btree ("source","started_at");--> statement-breakpoint
CREATE UNIQUE INDEX "pull_request_reviews_key" ON "pull_request_reviews" USING btree ("source","external_id");--> statement-breakpoint
CREATE INDEX "pull_request_reviews_pull" ON "pull_request_reviews" USING btree ("repo","number");--> statement-breakpoint
CREATE UNIQUE INDEX "work_item_transitions_key" ON "work_item_transitions" USING btree ("source","external_id");--> statement-breakpoint
CREATE INDEX "work_item_transitions_item" ON "work_item_transitions" USING btree ("source","item_external_id","changed_at");--> statement-breakpoint
CREATE INDEX "webhook_deliveries_received" ON "webhook_deliveries" USING btree ("received_at");