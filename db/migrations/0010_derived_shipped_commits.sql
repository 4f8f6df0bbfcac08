CREATE TABLE IF NOT EXISTS "deployed_repos" (
	"repo" text PRIMARY KEY NOT NULL
);
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "derived_shipped_commits" (
	"project" text NOT NULL,
	"repo" text NOT NULL,
	"sha" text NOT NULL,
	"deployment_id" integer NOT NULL,
	"finished_at" timestamp with time zone NOT NULL,
	CONSTRAINT "derived_shipped_commits_project_repo_sha_pk" PRIMARY KEY("project","repo","sha")
);
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "derived_shipped_state" (
	"project" text NOT NULL,
	"repo" text NOT NULL,
	"stamp" text NOT NULL,
	"dirty_from" timestamp with time zone,
	CONSTRAINT "derived_shipped_state_project_repo_pk" PRIMARY KEY("project","repo")
);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "derived_shipped_commits_finished" ON "derived_shipped_commits" USING btree ("project","repo","finished_at");--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "derived_shipped_state_repo" ON "derived_shipped_state" USING btree ("repo");--> statement-breakpoint
-- What follows is written by hand (drizzle-kit does not generate triggers): the triggers that
-- tell derived_shipped_state which derivations records written since can change, and from when
-- (docs/architecture.md, "Derived tables"). Statement-level, over transition tables: one update
-- per statement and repo, not per row, so a bulk ingest pays once.
INSERT INTO "deployed_repos" ("repo") SELECT DISTINCT "repo" FROM "deployments" WHERE "repo" IS NOT NULL ON CONFLICT DO NOTHING;
--> statement-breakpoint
-- The earliest finish of a deployment of `changed_repo` whose shipped commits a change to the
-- commits `shas`, landed at `lowest_position` or above, can change: a deployment of one of them,
-- or of a commit landed at or above it (its history may reach it). Null when there is none.
CREATE OR REPLACE FUNCTION derived_shipped_commits_changed_from(changed_repo text, lowest_position integer, shas text[])
RETURNS timestamptz LANGUAGE sql STABLE AS $$
  SELECT min(d.finished_at) FROM deployments d
  WHERE d.repo = changed_repo AND (d.commit_sha = ANY(shas) OR d.commit_sha IN (
    SELECT c.sha FROM commits c WHERE c.repo = changed_repo AND c.landed_position >= lowest_position))
$$;
--> statement-breakpoint
-- A write holds this shared lock on each repo it touches until it commits; a refresh takes it
-- exclusively (lib/kpis/entities/shipped-derivation.ts). So a refresh waits for the writes in
-- flight, sees their rows and marks, and the writes after it mark what it derived: no write is
-- missed, and writers do not wait for one another.
CREATE OR REPLACE FUNCTION derived_shipped_write_lock(repos text[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_advisory_xact_lock_shared(hashtext('derived_shipped_commits'), hashtext(r)) FROM (SELECT DISTINCT unnest(repos) AS r) AS x WHERE r IS NOT NULL;
END $$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION derived_shipped_mark_deployments() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- A deployment changes what it and every later deployment of its repo ship: dirty from its finish.
  IF TG_OP = 'INSERT' THEN
    PERFORM derived_shipped_write_lock(ARRAY(SELECT repo FROM new_rows));
    INSERT INTO deployed_repos (repo) SELECT DISTINCT repo FROM new_rows WHERE repo IS NOT NULL ON CONFLICT DO NOTHING;
    UPDATE derived_shipped_state s SET dirty_from = least(s.dirty_from, c.from_time)
    FROM (SELECT repo, min(finished_at) AS from_time FROM new_rows GROUP BY repo) c WHERE s.repo = c.repo;
  ELSIF TG_OP = 'DELETE' THEN
    PERFORM derived_shipped_write_lock(ARRAY(SELECT repo FROM old_rows));
    UPDATE derived_shipped_state s SET dirty_from = least(s.dirty_from, c.from_time)
    FROM (SELECT repo, min(finished_at) AS from_time FROM old_rows GROUP BY repo) c WHERE s.repo = c.repo;
  ELSE
    PERFORM derived_shipped_write_lock(ARRAY(SELECT repo FROM old_rows UNION SELECT repo FROM new_rows));
    INSERT INTO deployed_repos (repo) SELECT DISTINCT repo FROM new_rows WHERE repo IS NOT NULL ON CONFLICT DO NOTHING;
    -- Only rows whose shipping columns changed: a sync re-writing the same deployment changes nothing.
    UPDATE derived_shipped_state s SET dirty_from = least(s.dirty_from, c.from_time)
    FROM (
      SELECT x.repo, min(x.finished_at) AS from_time FROM old_rows o JOIN new_rows n USING (id)
      CROSS JOIN LATERAL (VALUES (o.repo, o.finished_at), (n.repo, n.finished_at)) AS x (repo, finished_at)
      WHERE (o.repo, o.commit_sha, o.environment, o.status, o.finished_at) IS DISTINCT FROM (n.repo, n.commit_sha, n.environment, n.status, n.finished_at)
      GROUP BY x.repo
    ) c WHERE s.repo = c.repo;
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION derived_shipped_mark_commits() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM derived_shipped_write_lock(ARRAY(SELECT DISTINCT repo FROM new_rows));
    UPDATE derived_shipped_state s SET dirty_from = least(s.dirty_from, derived_shipped_commits_changed_from(c.repo, c.lowest, c.shas))
    FROM (SELECT repo, min(landed_position) AS lowest, array_agg(sha) AS shas FROM new_rows GROUP BY repo) c WHERE s.repo = c.repo;
  ELSIF TG_OP = 'DELETE' THEN
    PERFORM derived_shipped_write_lock(ARRAY(SELECT DISTINCT repo FROM old_rows));
    UPDATE derived_shipped_state s SET dirty_from = least(s.dirty_from, derived_shipped_commits_changed_from(c.repo, c.lowest, c.shas))
    FROM (SELECT repo, min(landed_position) AS lowest, array_agg(sha) AS shas FROM old_rows GROUP BY repo) c WHERE s.repo = c.repo;
  ELSE
    PERFORM derived_shipped_write_lock(ARRAY(SELECT repo FROM old_rows UNION SELECT repo FROM new_rows));
    -- Only commits whose place in the history changed (the enricher placing them, a force push).
    UPDATE derived_shipped_state s SET dirty_from = least(s.dirty_from, derived_shipped_commits_changed_from(c.repo, c.lowest, c.shas))
    FROM (
      SELECT x.repo, min(x.landed_position) AS lowest, array_agg(x.sha) AS shas FROM old_rows o JOIN new_rows n USING (id)
      CROSS JOIN LATERAL (VALUES (o.repo, o.sha, o.landed_position), (n.repo, n.sha, n.landed_position)) AS x (repo, sha, landed_position)
      WHERE (o.repo, o.sha, o.parents, o.line_position, o.landed_position) IS DISTINCT FROM (n.repo, n.sha, n.parents, n.line_position, n.landed_position)
      GROUP BY x.repo
    ) c WHERE s.repo = c.repo;
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
DROP TRIGGER IF EXISTS derived_shipped_deployments_insert ON deployments;
--> statement-breakpoint
CREATE TRIGGER derived_shipped_deployments_insert AFTER INSERT ON deployments REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION derived_shipped_mark_deployments();
--> statement-breakpoint
DROP TRIGGER IF EXISTS derived_shipped_deployments_update ON deployments;
--> statement-breakpoint
CREATE TRIGGER derived_shipped_deployments_update AFTER UPDATE ON deployments REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION derived_shipped_mark_deployments();
--> statement-breakpoint
DROP TRIGGER IF EXISTS derived_shipped_deployments_delete ON deployments;
--> statement-breakpoint
CREATE TRIGGER derived_shipped_deployments_delete AFTER DELETE ON deployments REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION derived_shipped_mark_deployments();
--> statement-breakpoint
DROP TRIGGER IF EXISTS derived_shipped_commits_insert ON commits;
--> statement-breakpoint
CREATE TRIGGER derived_shipped_commits_insert AFTER INSERT ON commits REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION derived_shipped_mark_commits();
--> statement-breakpoint
DROP TRIGGER IF EXISTS derived_shipped_commits_update ON commits;
--> statement-breakpoint
CREATE TRIGGER derived_shipped_commits_update AFTER UPDATE ON commits REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION derived_shipped_mark_commits();
--> statement-breakpoint
DROP TRIGGER IF EXISTS derived_shipped_commits_delete ON commits;
--> statement-breakpoint
CREATE TRIGGER derived_shipped_commits_delete AFTER DELETE ON commits REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION derived_shipped_mark_commits();
--> statement-breakpoint
-- Emptying a source table (no rows to look at): every derivation is made again.
CREATE OR REPLACE FUNCTION derived_shipped_mark_all() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE derived_shipped_state SET dirty_from = '-infinity';
  RETURN NULL;
END $$;
--> statement-breakpoint
DROP TRIGGER IF EXISTS derived_shipped_deployments_truncate ON deployments;
--> statement-breakpoint
CREATE TRIGGER derived_shipped_deployments_truncate AFTER TRUNCATE ON deployments FOR EACH STATEMENT EXECUTE FUNCTION derived_shipped_mark_all();
--> statement-breakpoint
DROP TRIGGER IF EXISTS derived_shipped_commits_truncate ON commits;
--> statement-breakpoint
CREATE TRIGGER derived_shipped_commits_truncate AFTER TRUNCATE ON commits FOR EACH STATEMENT EXECUTE FUNCTION derived_shipped_mark_all();
