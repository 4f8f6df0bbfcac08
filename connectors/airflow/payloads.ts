/**
 * The parts of Airflow's REST answers the connector reads, as zod schemas, after the published
 * OpenAPI specifications: `DAGRun` / `DAGRunCollection` of the stable API v1 (Airflow 2) and
 * `DAGRunResponse` / `DAGRunCollectionResponse` of API v2 (Airflow 3). The two differ where the
 * connector does not look (v1's `execution_date` became `logical_date`, v2 adds `run_after`,
 * `dag_versions`, …); what it reads — ids, state, start and end — is the same. Anything else
 * passes through untouched (and is kept in `raw`).
 */
import { z } from "zod";

/** RFC 3339 date-time as Airflow writes it (`2026-01-05T03:12:44.123456+00:00`). */
const dateTime = z.iso.datetime({ offset: true, message: "must be an RFC 3339 date-time" });

export const dagRunStates = ["queued", "running", "success", "failed"] as const;

export const dagRunSchema = z.looseObject({
  dag_id: z.string(),
  /** Nullable in v1's schema (a run being created); every stored run has one. */
  dag_run_id: z.string(),
  state: z.enum(dagRunStates),
  start_date: dateTime.nullish(),
  end_date: dateTime.nullish(),
});
export type DagRunPayload = z.infer<typeof dagRunSchema>;

/** GET /dags/{dag_id}/dagRuns (both versions): a page and the count of all matches. */
export const dagRunCollectionSchema = z.looseObject({
  dag_runs: z.array(dagRunSchema),
  total_entries: z.number().int().nonnegative(),
});

/** GET /dags/{dag_id}: only its existence matters (v1 lists no runs, rather than 404, for an unknown DAG). */
export const dagSchema = z.looseObject({ dag_id: z.string() });

/** POST /auth/token (Airflow 3): the JWT for the API. */
export const tokenSchema = z.looseObject({ access_token: z.string().min(1) });

/**
 * Airflow's error bodies: v1 answers RFC 7807 problem details (`{"title", "detail", "status",
 * "type"}`); v2 (FastAPI) `{"detail": "…"}`, or for a 422 `{"detail": [{"loc", "msg", "type"}]}`.
 */
export function describeAirflowError(body: unknown): string {
  if (typeof body !== "object" || body === null) return "";
  const { title, detail } = body as { title?: unknown; detail?: unknown };
  if (Array.isArray(detail)) {
    return detail
      .map((item) => {
        const { loc, msg } = (item ?? {}) as { loc?: unknown; msg?: unknown };
        const where = Array.isArray(loc) ? loc.join(".") : "";
        return [where, typeof msg === "string" ? msg : ""].filter(Boolean).join(": ");
      })
      .join("; ");
  }
  const words = [typeof title === "string" ? title : "", typeof detail === "string" ? detail : ""].filter(Boolean);
  if (typeof detail === "object" && detail !== null) words.push(JSON.stringify(detail));
  return words.join(": ");
}
