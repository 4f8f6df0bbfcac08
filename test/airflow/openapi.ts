/**
 * The operations of Airflow's published OpenAPI specifications that the connector calls —
 * the stable REST API v1 of Airflow 2.10 and the REST API v2 of Airflow 3 — written out as
 * JSON Schema (2020-12: a `nullable: true` of the specs is a `null` type here). Responses and
 * request parameters of the fake are validated against them (shapes.test.ts) the way
 * Airflow's generated clients read them: types, formats, enums, required fields, and no
 * property the specification does not list (so the fake cannot drift from the real shapes).
 */
const dateTime = { type: "string", format: "date-time" } as const;
const nullableDateTime = { type: ["string", "null"], format: "date-time" } as const;
const nullableString = { type: ["string", "null"] } as const;
const nullableBoolean = { type: ["boolean", "null"] } as const;
const nullableInteger = { type: ["integer", "null"] } as const;

const dagRunStates = ["queued", "running", "success", "failed"];

// ---- v1 (Airflow 2) -----------------------------------------------------------------------

const v1DagRun = {
  type: "object",
  additionalProperties: false,
  properties: {
    conf: { type: "object" },
    dag_id: { type: "string" },
    dag_run_id: nullableString,
    data_interval_end: nullableDateTime,
    data_interval_start: nullableDateTime,
    end_date: nullableDateTime,
    execution_date: nullableDateTime,
    external_trigger: { type: "boolean" },
    last_scheduling_decision: nullableDateTime,
    logical_date: nullableDateTime,
    note: nullableString,
    run_type: { enum: ["backfill", "manual", "scheduled", "dataset_triggered"] },
    start_date: nullableDateTime,
    state: { enum: dagRunStates },
  },
};

/** RFC 7807 problem details: `Error` of the v1 specification. */
const v1Error = {
  type: "object",
  additionalProperties: false,
  required: ["type", "title", "status"],
  properties: { detail: { type: "string" }, instance: { type: "string" }, status: { type: "number" }, title: { type: "string" }, type: { type: "string" } },
};

const v1Dag = {
  type: "object",
  additionalProperties: false,
  properties: {
    dag_display_name: { type: "string" },
    dag_id: { type: "string" },
    default_view: nullableString,
    description: nullableString,
    file_token: { type: "string" },
    fileloc: { type: "string" },
    has_import_errors: nullableBoolean,
    has_task_concurrency_limits: nullableBoolean,
    is_active: nullableBoolean,
    is_paused: nullableBoolean,
    is_subdag: { type: "boolean" },
    last_expired: nullableDateTime,
    last_parsed_time: nullableDateTime,
    last_pickled: nullableDateTime,
    max_active_runs: nullableInteger,
    max_active_tasks: nullableInteger,
    max_consecutive_failed_dag_runs: nullableInteger,
    next_dagrun: nullableDateTime,
    next_dagrun_create_after: nullableDateTime,
    next_dagrun_data_interval_end: nullableDateTime,
    next_dagrun_data_interval_start: nullableDateTime,
    owners: { type: "array", items: { type: "string" } },
    pickle_id: nullableString,
    root_dag_id: nullableString,
    // ScheduleInterval: TimeDelta, RelativeDelta or CronExpression, told apart by __type; or null.
    schedule_interval: {
      anyOf: [
        { type: "null" },
        { type: "object", required: ["__type", "value"], properties: { __type: { const: "CronExpression" }, value: { type: "string" } }, additionalProperties: false },
        { type: "object", required: ["__type", "days", "seconds", "microseconds"], properties: { __type: { const: "TimeDelta" } } },
        { type: "object", required: ["__type"], properties: { __type: { const: "RelativeDelta" } } },
      ],
    },
    scheduler_lock: nullableBoolean,
    tags: { type: ["array", "null"], items: { type: "object", properties: { name: { type: "string" } } } },
    timetable_description: nullableString,
  },
};

// ---- v2 (Airflow 3) -----------------------------------------------------------------------

const v2DagVersion = {
  type: "object",
  additionalProperties: false,
  required: ["id", "version_number", "dag_id", "created_at", "dag_display_name"],
  properties: {
    bundle_name: nullableString,
    bundle_url: nullableString,
    bundle_version: nullableString,
    created_at: dateTime,
    dag_display_name: { type: "string" },
    dag_id: { type: "string" },
    id: { type: "string", format: "uuid" },
    version_number: { type: "integer" },
  },
};

const v2DagRun = {
  type: "object",
  additionalProperties: false,
  required: ["dag_run_id", "dag_id", "run_after", "run_type", "state", "dag_versions", "dag_display_name"],
  properties: {
    bundle_version: nullableString,
    conf: { type: ["object", "null"] },
    dag_display_name: { type: "string" },
    dag_id: { type: "string" },
    dag_run_id: { type: "string" },
    dag_versions: { type: "array", items: v2DagVersion },
    data_interval_end: nullableDateTime,
    data_interval_start: nullableDateTime,
    duration: { type: ["number", "null"] },
    end_date: nullableDateTime,
    last_scheduling_decision: nullableDateTime,
    logical_date: nullableDateTime,
    note: nullableString,
    partition_key: nullableString,
    queued_at: nullableDateTime,
    run_after: dateTime,
    run_type: { enum: ["backfill", "scheduled", "manual", "asset_triggered", "asset_materialization"] },
    start_date: nullableDateTime,
    state: { enum: dagRunStates },
    triggered_by: { enum: ["cli", "operator", "rest_api", "ui", "test", "timetable", "asset", "backfill", null] },
    triggering_user_name: nullableString,
  },
};

const v2HttpException = {
  type: "object",
  additionalProperties: false,
  required: ["detail"],
  properties: { detail: { anyOf: [{ type: "string" }, { type: "object" }] } },
};

const v2ValidationError = {
  type: "object",
  additionalProperties: false,
  properties: {
    detail: {
      type: "array",
      items: {
        type: "object",
        required: ["loc", "msg", "type"],
        properties: { loc: { type: "array", items: { type: ["string", "integer"] } }, msg: { type: "string" }, type: { type: "string" }, input: {}, ctx: { type: "object" } },
      },
    },
  },
};

/** The auth managers' token answer (simple and FAB: `{"access_token": …}`, 201). */
const v2Token = { type: "object", additionalProperties: false, required: ["access_token"], properties: { access_token: { type: "string" } } };

// ---- operations ---------------------------------------------------------------------------

export interface Parameter {
  name: string;
  schema: object;
  /** A list parameter: sent repeated (`state=a&state=b`). */
  list?: boolean;
}

export interface Operation {
  parameters: Parameter[];
  /** Status → the schema of its JSON body. */
  responses: Record<number, object>;
}

const filterDate = (name: string): Parameter => ({ name, schema: dateTime });

export const specifications: Record<1 | 2, Record<string, Operation>> = {
  1: {
    // GET /api/v1/dags/{dag_id}/dagRuns (get_dag_runs).
    dagRuns: {
      parameters: [
        { name: "limit", schema: { type: "integer" } },
        { name: "offset", schema: { type: "integer", minimum: 0 } },
        ...["execution_date_gte", "execution_date_lte", "start_date_gte", "start_date_lte", "end_date_gte", "end_date_lte", "updated_at_gte", "updated_at_lte"].map(filterDate),
        { name: "state", schema: { type: "string" }, list: true },
        { name: "order_by", schema: { type: "string" } },
        { name: "fields", schema: { type: "string" }, list: true },
      ],
      responses: {
        200: { type: "object", additionalProperties: false, properties: { dag_runs: { type: "array", items: v1DagRun }, total_entries: { type: "integer" } } },
        400: v1Error,
        403: v1Error,
        404: v1Error,
      },
    },
    // GET /api/v1/dags/{dag_id} (get_dag).
    dag: { parameters: [{ name: "fields", schema: { type: "string" }, list: true }], responses: { 200: v1Dag, 403: v1Error, 404: v1Error } },
  },
  2: {
    // GET /api/v2/dags/{dag_id}/dagRuns (get_dag_runs).
    dagRuns: {
      parameters: [
        { name: "limit", schema: { type: "integer", minimum: 0 } },
        { name: "offset", schema: { type: "integer", minimum: 0 } },
        ...["run_after", "logical_date", "start_date", "end_date", "updated_at"].flatMap((field) => ["gte", "gt", "lte", "lt"].map((op) => filterDate(`${field}_${op}`))),
        { name: "state", schema: { type: "string" }, list: true },
        { name: "run_type", schema: { type: "string" }, list: true },
        { name: "order_by", schema: { type: "string" }, list: true },
      ],
      responses: { 200: { type: "object", additionalProperties: false, required: ["dag_runs", "total_entries"], properties: { dag_runs: { type: "array", items: v2DagRun }, total_entries: { type: "integer" } } }, 400: v2HttpException, 401: v2HttpException, 403: v2HttpException, 404: v2HttpException, 422: v2ValidationError },
    },
    // POST /auth/token.
    token: { parameters: [], responses: { 201: v2Token, 401: v2HttpException, 422: v2ValidationError } },
    unauthenticated: { parameters: [], responses: { 401: v2HttpException } },
  },
};
