ALTER TABLE "incidents" ADD COLUMN IF NOT EXISTS "project" text;--> statement-breakpoint
-- Safe to apply again: the column only if missing, and the folding touches only keys of the old form.
-- Deployment-log records without an id are keyed without their value (inputs.md, "Idempotent"):
-- model_metric by (model, metric, environment, observed_at), model_sla by (model, objective,
-- observed_at), data_refresh by (dataset, finished_at). Rows stored under the older keys (which
-- held the value, and for data refreshes the status) are folded: of the rows that are one
-- observation under the new key the newest (stored_at, then id) stays, with the new key.
-- A key is a JSON array as the ingest writes it (connectors/deploy-log/records.ts, tupleKey):
-- to_json(text)::text escapes a string as JSON.stringify does, and the instant is taken as the
-- old key wrote it. Only keys of the old form are touched (the demo and other writers use other
-- keys); the CASE keeps the JSON cast off every other key.
WITH rekeyed AS (
  SELECT id, stored_at,
    '[' || to_json(model)::text || ',' || to_json(metric)::text || ',' || to_json(environment)::text || ','
      || to_json((CASE WHEN external_id ~ '^\[("([^"\\]|\\.)*",){2}-?[0-9][0-9.eE+-]*,"[^"]*"\]$' THEN external_id::json END) ->> 3)::text || ']' AS new_key
  FROM model_metrics
  WHERE source = 'deploy_log' AND external_id ~ '^\[("([^"\\]|\\.)*",){2}-?[0-9][0-9.eE+-]*,"[^"]*"\]$'
), ranked AS (
  SELECT id, new_key, row_number() OVER (PARTITION BY new_key ORDER BY stored_at DESC, id DESC) AS rank FROM rekeyed
), folded AS (
  DELETE FROM model_metrics USING ranked WHERE model_metrics.id = ranked.id AND ranked.rank > 1
)
UPDATE model_metrics SET external_id = ranked.new_key FROM ranked
WHERE model_metrics.id = ranked.id AND ranked.rank = 1;
--> statement-breakpoint
WITH rekeyed AS (
  SELECT id, stored_at,
    '[' || to_json(model)::text || ',' || to_json(objective)::text || ','
      || to_json((CASE WHEN external_id ~ '^\[("([^"\\]|\\.)*",){2}(-?[0-9][0-9.eE+-]*,){2}"[^"]*"\]$' THEN external_id::json END) ->> 4)::text || ']' AS new_key
  FROM model_sla_observations
  WHERE source = 'deploy_log' AND external_id ~ '^\[("([^"\\]|\\.)*",){2}(-?[0-9][0-9.eE+-]*,){2}"[^"]*"\]$'
), ranked AS (
  SELECT id, new_key, row_number() OVER (PARTITION BY new_key ORDER BY stored_at DESC, id DESC) AS rank FROM rekeyed
), folded AS (
  DELETE FROM model_sla_observations USING ranked WHERE model_sla_observations.id = ranked.id AND ranked.rank > 1
)
UPDATE model_sla_observations SET external_id = ranked.new_key FROM ranked
WHERE model_sla_observations.id = ranked.id AND ranked.rank = 1;
--> statement-breakpoint
-- A data refresh sent with an id keeps it as its key; only those without one (raw has no id, or
-- an empty CSV cell) were keyed by (dataset, status, finished_at).
WITH rekeyed AS (
  SELECT id, stored_at,
    '[' || to_json(dataset)::text || ','
      || to_json((CASE WHEN external_id ~ '^\[("([^"\\]|\\.)*",){2}"[^"]*"\]$' THEN external_id::json END) ->> 2)::text || ']' AS new_key
  FROM data_refreshes
  WHERE source = 'deploy_log' AND nullif(raw ->> 'id', '') IS NULL AND external_id ~ '^\[("([^"\\]|\\.)*",){2}"[^"]*"\]$'
), ranked AS (
  SELECT id, new_key, row_number() OVER (PARTITION BY new_key ORDER BY stored_at DESC, id DESC) AS rank FROM rekeyed
), folded AS (
  DELETE FROM data_refreshes USING ranked WHERE data_refreshes.id = ranked.id AND ranked.rank > 1
)
UPDATE data_refreshes SET external_id = ranked.new_key FROM ranked
WHERE data_refreshes.id = ranked.id AND ranked.rank = 1;
