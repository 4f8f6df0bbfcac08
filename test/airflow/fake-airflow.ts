/**
 * A local Airflow for tests: node:http on 127.0.0.1 answering the REST routes the connector
 * uses, as Airflow 2 (`/api/v1`, connexion) or Airflow 3 (`/api/v2`, FastAPI) does:
 *
 * - GET /dags/{dag_id}/dagRuns with `limit`/`offset` (capped at `maximumPageLimit`, as
 *   Airflow's `maximum_page_limit` caps it without a word), `state` and `order_by` (repeated
 *   list parameters; v1's `order_by` is one field), `end_date_gte`; `total_entries`.
 * - GET /api/v1/dags/{dag_id} (Airflow 2 lists no runs, not 404, for a DAG it does not have).
 * - POST /auth/token (Airflow 3): a username and password for a JWT, which can be expired.
 *
 * Errors in each version's own form: v1 RFC 7807 problem details (400 for a bad parameter,
 * 401, 403, 404), v2 `{"detail": …}` (401, 403, 404) and 422 with FastAPI's validation list.
 * Answers are checked against the published OpenAPI specifications in shapes.test.ts.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { FakeServer, type RecordedRequest } from "@/test/support/fake-server";

export type DagRunState = "queued" | "running" | "success" | "failed";

export interface FakeRun {
  dagRunId: string;
  state: DagRunState;
  /** ISO instants as Airflow writes them (`2026-01-05T03:12:44.123456+00:00`). */
  logicalDate: string;
  startDate: string | null;
  endDate: string | null;
  runType?: "scheduled" | "manual" | "backfill";
}

const V1_ERRORS = "https://airflow.apache.org/docs/apache-airflow/2.10.5/stable-rest-api-ref.html#section/Errors";
const ORDERABLE = ["id", "state", "dag_id", "run_id", "logical_date", "run_after", "start_date", "end_date", "updated_at", "conf", "duration", "dag_run_id"];

export class FakeAirflow extends FakeServer {
  dags = new Map<string, FakeRun[]>();
  /** Airflow's `maximum_page_limit`. */
  maximumPageLimit = 100;
  username = "shipshape";
  password = "airflow-secret";
  /** A static Bearer token the server also takes (e.g. from a proxy in front of it). */
  bearer: string | null = null;
  /** DAGs the user may not read (403). */
  forbidden = new Set<string>();
  /** Every JSON answer sent, for the shape tests. */
  answers: { method: string; route: string; status: number; body: unknown }[] = [];
  private readonly jwts = new Set<string>();
  private issued = 0;

  constructor(readonly version: 1 | 2) {
    super();
  }

  /** Tokens issued so far stop working (they expired). */
  expireTokens() {
    this.jwts.clear();
  }

  addRun(dagId: string, run: FakeRun) {
    const runs = this.dags.get(dagId) ?? [];
    runs.push(run);
    this.dags.set(dagId, runs);
  }

  run(dagId: string, dagRunId: string): FakeRun {
    const found = this.dags.get(dagId)?.find((run) => run.dagRunId === dagRunId);
    if (!found) throw new Error(`no run ${dagId}/${dagRunId}`);
    return found;
  }

  /** Requests listing a DAG's runs. */
  listings(dagId: string): RecordedRequest[] {
    return this.requests.filter((request) => request.path === `/api/v${this.version}/dags/${dagId}/dagRuns`);
  }

  protected faultBody(status: number): string {
    return JSON.stringify(this.version === 1 ? problem(status, "Internal Server Error", `fault ${status}`) : { detail: `fault ${status}` });
  }

  protected answer(request: IncomingMessage, response: ServerResponse, url: URL, body: string) {
    if (this.version === 2 && url.pathname === "/auth/token" && request.method === "POST") return this.token(response, body);
    if (!this.authenticated(request.headers.authorization)) {
      if (this.version === 2) return this.send(response, "unauthenticated", 401, { detail: "Not authenticated" });
      // Airflow 2's basic_auth backend answers before connexion, in plain text (not the spec's problem JSON).
      response.writeHead(401, { "content-type": "text/html; charset=utf-8", "www-authenticate": "Basic" });
      response.end("Unauthorized");
      return;
    }
    const prefix = `/api/v${this.version}/dags/`;
    const route = url.pathname.startsWith(prefix) ? url.pathname.slice(prefix.length).split("/").map(decodeURIComponent) : [];
    if (request.method === "GET" && route.length === 2 && route[1] === "dagRuns") return this.listRuns(response, route[0]!, url.searchParams);
    if (request.method === "GET" && route.length === 1 && this.version === 1) return this.getDag(response, route[0]!);
    this.notFound(response, "unknown", "Not Found", "The requested URL was not found on the server.");
  }

  private authenticated(authorization: string | undefined): boolean {
    if (this.bearer && authorization === `Bearer ${this.bearer}`) return true;
    if (this.version === 1) return authorization === `Basic ${Buffer.from(`${this.username}:${this.password}`).toString("base64")}`;
    // Airflow 3 takes no basic auth: only a token it issued.
    return authorization?.startsWith("Bearer ") === true && this.jwts.has(authorization.slice("Bearer ".length));
  }

  private token(response: ServerResponse, body: string) {
    let credentials: { username?: unknown; password?: unknown } = {};
    try {
      credentials = JSON.parse(body);
    } catch {
      return this.send(response, "token", 422, { detail: [{ type: "json_invalid", loc: ["body", 0], msg: "JSON decode error", input: {} }] });
    }
    if (credentials.username !== this.username || credentials.password !== this.password) {
      return this.send(response, "token", 401, { detail: "Invalid credentials" });
    }
    const jwt = `eyJhbGciOiJIUzUxMiJ9.${Buffer.from(JSON.stringify({ sub: this.username, n: ++this.issued })).toString("base64url")}.signature`;
    this.jwts.add(jwt);
    this.send(response, "token", 201, { access_token: jwt });
  }

  private getDag(response: ServerResponse, dagId: string) {
    if (!this.dags.has(dagId)) return this.notFound(response, "dag", "DAG not found", `DAG with dag_id: '${dagId}' not found`);
    if (this.forbidden.has(dagId)) return this.send(response, "dag", 403, problem(403, "Forbidden", "Access is denied", "PermissionDenied"));
    this.send(response, "dag", 200, {
      dag_id: dagId,
      dag_display_name: dagId,
      root_dag_id: null,
      is_paused: false,
      is_active: true,
      is_subdag: false,
      last_parsed_time: "2026-01-01T00:00:00+00:00",
      last_pickled: null,
      last_expired: null,
      scheduler_lock: null,
      pickle_id: null,
      default_view: "grid",
      fileloc: `/opt/airflow/dags/${dagId}.py`,
      file_token: "Ii9vcHQvYWlyZmxvdy9kYWdzL2V4YW1wbGUucHki.token",
      owners: ["data"],
      description: null,
      schedule_interval: { __type: "CronExpression", value: "0 * * * *" },
      timetable_description: "At the start of every hour",
      tags: [],
      max_active_tasks: 16,
      max_active_runs: 16,
      max_consecutive_failed_dag_runs: 0,
      has_task_concurrency_limits: false,
      has_import_errors: false,
      next_dagrun: null,
      next_dagrun_data_interval_start: null,
      next_dagrun_data_interval_end: null,
      next_dagrun_create_after: null,
    });
  }

  private listRuns(response: ServerResponse, dagId: string, query: URLSearchParams) {
    const invalid = this.invalidParameters(query);
    if (invalid) return this.send(response, "dagRuns", invalid.status, invalid.body);
    const disallowed = this.disallowedOrder(query);
    if (disallowed) return this.send(response, "dagRuns", 400, disallowed);
    const runs = this.dags.get(dagId);
    if (!runs) {
      // Airflow 2 filters the runs table by dag_id: an unknown DAG has none. Airflow 3 looks the DAG up first.
      if (this.version === 1) return this.send(response, "dagRuns", 200, { dag_runs: [], total_entries: 0 });
      return this.notFound(response, "dagRuns", "", `The Dag with ID: \`${dagId}\` was not found`);
    }
    if (this.forbidden.has(dagId)) {
      return this.version === 1
        ? this.send(response, "dagRuns", 403, problem(403, "Forbidden", "Access is denied", "PermissionDenied"))
        : this.send(response, "dagRuns", 403, { detail: "Forbidden" });
    }
    const states = query.getAll("state");
    const endFrom = query.get("end_date_gte");
    const matches = runs.filter(
      (run) => (states.length === 0 || states.includes(run.state)) && (!endFrom || (run.endDate !== null && Date.parse(run.endDate) >= Date.parse(endFrom))),
    );
    const order = query.getAll("order_by");
    matches.sort(comparator(order.length ? order : ["id"], runs));
    const limit = Math.min(Number(query.get("limit") ?? (this.version === 1 ? 100 : 50)), this.maximumPageLimit);
    const offset = Number(query.get("offset") ?? 0);
    this.send(response, "dagRuns", 200, { dag_runs: matches.slice(offset, offset + limit).map((run) => this.render(dagId, run)), total_entries: matches.length });
  }

  /** The parameter checks each server makes: connexion's against the spec (400), FastAPI's (422). */
  private invalidParameters(query: URLSearchParams): { status: number; body: unknown } | null {
    const problems: { loc: string[]; msg: string; type: string; input: string }[] = [];
    for (const name of ["limit", "offset"]) {
      const value = query.get(name);
      if (value !== null && !/^\d+$/.test(value)) problems.push({ loc: ["query", name], msg: "Input should be a valid integer, unable to parse string as an integer", type: "int_parsing", input: value });
    }
    const end = query.get("end_date_gte");
    if (end !== null && !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(end)) {
      problems.push({ loc: ["query", "end_date_gte"], msg: "Input should be a valid datetime", type: "datetime_from_date_parsing", input: end });
    }
    if (problems.length === 0) return null;
    if (this.version === 2) return { status: 422, body: { detail: problems } };
    return { status: 400, body: problem(400, "Bad Request", problems.map((p) => `'${p.input}' is not valid for ${p.loc[1]}`).join("; "), "BadRequest") };
  }

  /** An order_by field the API does not sort by: 400 in both versions (Airflow 3's SortParam raises HTTPException(400)). */
  private disallowedOrder(query: URLSearchParams): unknown {
    const order = query.getAll("order_by");
    const bad = order.find((field) => !ORDERABLE.includes(field.replace(/^-/, "")));
    if (this.version === 1 && order.length > 1) return problem(400, "Bad Request", "order_by takes one field", "BadRequest");
    if (bad === undefined) return null;
    const detail = `Ordering with '${bad.replace(/^-/, "")}' is disallowed or the attribute does not exist on the model`;
    return this.version === 2 ? { detail } : problem(400, "Bad Request", detail, "BadRequest");
  }

  private notFound(response: ServerResponse, route: string, title: string, detail: string) {
    if (this.version === 1) return this.send(response, route, 404, problem(404, title || "Not Found", detail, "NotFound"));
    this.send(response, route, 404, { detail });
  }

  private render(dagId: string, run: FakeRun) {
    const interval = { data_interval_start: run.logicalDate, data_interval_end: run.logicalDate };
    if (this.version === 1) {
      return {
        dag_id: dagId,
        dag_run_id: run.dagRunId,
        logical_date: run.logicalDate,
        execution_date: run.logicalDate,
        start_date: run.startDate,
        end_date: run.endDate,
        ...interval,
        last_scheduling_decision: run.endDate ?? run.startDate,
        run_type: run.runType ?? "scheduled",
        state: run.state,
        external_trigger: run.runType === "manual",
        conf: {},
        note: null,
      };
    }
    return {
      dag_run_id: run.dagRunId,
      dag_id: dagId,
      logical_date: run.logicalDate,
      queued_at: run.startDate,
      start_date: run.startDate,
      end_date: run.endDate,
      duration: run.startDate && run.endDate ? (Date.parse(run.endDate) - Date.parse(run.startDate)) / 1000 : null,
      ...interval,
      run_after: run.logicalDate,
      last_scheduling_decision: run.endDate ?? run.startDate,
      run_type: run.runType ?? "scheduled",
      state: run.state,
      triggered_by: run.runType === "manual" ? "ui" : "timetable",
      triggering_user_name: null,
      conf: {},
      note: null,
      dag_versions: [
        {
          id: "0190c0de-5b3a-7d2e-9f00-1a2b3c4d5e6f",
          version_number: 1,
          dag_id: dagId,
          bundle_name: "dags-folder",
          bundle_version: null,
          created_at: "2026-01-01T00:00:00+00:00",
          dag_display_name: dagId,
          bundle_url: null,
        },
      ],
      bundle_version: null,
      dag_display_name: dagId,
      partition_key: null,
    };
  }

  private send(response: ServerResponse, route: string, status: number, body: unknown) {
    this.answers.push({ method: route === "token" ? "POST" : "GET", route, status, body });
    response.writeHead(status, { "content-type": status >= 400 && this.version === 1 ? "application/problem+json" : "application/json" });
    response.end(JSON.stringify(body));
  }
}

function problem(status: number, title: string, detail: string, kind = "Unknown") {
  return { detail, status, title, type: `${V1_ERRORS}/${kind}` };
}

/** Sorts like the API: each field ascending (`-field` descending), nulls last; `id` is the order the runs were added. */
function comparator(fields: string[], insertion: FakeRun[]) {
  const value = (run: FakeRun, field: string): string | number | null => {
    switch (field) {
      case "id":
        return insertion.indexOf(run);
      case "end_date":
        return run.endDate === null ? null : Date.parse(run.endDate);
      case "start_date":
        return run.startDate === null ? null : Date.parse(run.startDate);
      case "logical_date":
      case "run_after":
        return Date.parse(run.logicalDate);
      default:
        return run.dagRunId;
    }
  };
  return (a: FakeRun, b: FakeRun) => {
    for (const spec of fields) {
      const field = spec.replace(/^-/, "");
      const sign = spec.startsWith("-") ? -1 : 1;
      const [x, y] = [value(a, field), value(b, field)];
      if (x === y) continue;
      if (x === null) return 1;
      if (y === null) return -1;
      return (x < y ? -1 : 1) * sign;
    }
    return 0;
  };
}
