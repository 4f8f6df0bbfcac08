/**
 * A local MLflow tracking server for tests: node:http on 127.0.0.1 answering the REST API 2.0
 * routes the connector uses, in the JSON form of MLflow's protobuf messages (empty and unset
 * fields left out, int64 timestamps as numbers, as MLflow's own server writes them):
 * registered-models/search (page_token paging, max_results ≤ 1000), registered-models/get,
 * registered-models/alias (get by alias), model-versions/search (`name='…'` filters, paged),
 * runs/get (each metric key's latest value). Errors are MLflow's `{"error_code", "message"}`
 * with its statuses: 404 RESOURCE_DOES_NOT_EXIST, 400 INVALID_PARAMETER_VALUE (also for an
 * alias that is not set, as MLflow's server answers), 401 / 403 for a missing token or a model
 * the token may not read. `aliases: false` makes it a server from before aliases (MLflow < 2.3).
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { FakeServer, type RecordedRequest } from "@/test/support/fake-server";

export interface FakeVersion {
  version: string;
  /** Epoch ms. */
  created: number;
  updated: number;
  stage: "None" | "Staging" | "Production" | "Archived";
  runId?: string;
  status?: "READY" | "PENDING_REGISTRATION" | "FAILED_REGISTRATION";
}

export interface FakeModel {
  name: string;
  created: number;
  updated: number;
  versions: FakeVersion[];
  aliases: Map<string, string>;
}

export interface FakeMetric {
  key: string;
  value: number | "NaN";
  /** Epoch ms. */
  timestamp: number;
  step: number;
}

const API = "/api/2.0/mlflow/";

export class FakeMlflow extends FakeServer {
  models = new Map<string, FakeModel>();
  runs = new Map<string, FakeMetric[]>();
  /** The token every request must carry as `Bearer <token>`; null: an open server. */
  token: string | null = "mlflow-secret";
  /** Models the token may not read (403). */
  forbidden = new Set<string>();
  /** false: a server before aliases (no `aliases` fields). */
  aliases = true;
  /** Registered models and model versions per page. */
  modelsPageSize = 2;
  versionsPageSize = 2;
  /** Every JSON answer sent, for the shape tests. */
  answers: { path: string; status: number; body: unknown }[] = [];

  /** Requests to one API route (e.g. "registered-models/get"). */
  calls(route: string): RecordedRequest[] {
    return this.requests.filter((request) => request.path === `${API}${route}`);
  }

  addModel(name: string, at: number): FakeModel {
    const model: FakeModel = { name, created: at, updated: at, versions: [], aliases: new Map() };
    this.models.set(name, model);
    return model;
  }

  addVersion(name: string, version: Omit<FakeVersion, "stage" | "updated"> & Partial<Pick<FakeVersion, "stage" | "updated">>): FakeVersion {
    const model = this.model(name);
    const added: FakeVersion = { stage: "None", updated: version.created, ...version };
    model.versions.push(added);
    model.updated = Math.max(model.updated, added.updated);
    return added;
  }

  /** Points `alias` at `version`; `at` (epoch ms) is the registered model's update time. */
  setAlias(name: string, alias: string, version: string, at?: number) {
    const model = this.model(name);
    model.aliases.set(alias, version);
    if (at !== undefined) model.updated = at;
  }

  deleteAlias(name: string, alias: string) {
    this.model(name).aliases.delete(alias);
  }

  setStage(name: string, version: string, stage: FakeVersion["stage"], at: number) {
    const found = this.model(name).versions.find((candidate) => candidate.version === version)!;
    found.stage = stage;
    found.updated = at;
  }

  logMetric(runId: string, key: string, value: number | "NaN", timestamp: number, step = 0) {
    const metrics = this.runs.get(runId) ?? [];
    metrics.push({ key, value, timestamp, step });
    this.runs.set(runId, metrics);
  }

  model(name: string): FakeModel {
    const model = this.models.get(name);
    if (!model) throw new Error(`no model ${name}`);
    return model;
  }

  protected faultBody(status: number): string {
    return JSON.stringify({ error_code: "INTERNAL_ERROR", message: `fault ${status}` });
  }

  protected answer(request: IncomingMessage, response: ServerResponse, url: URL) {
    if (this.token !== null && request.headers.authorization !== `Bearer ${this.token}`) {
      return this.send(response, url.pathname, 401, { error_code: "UNAUTHENTICATED", message: "Credential was not sent or was of an unsupported type for this API." });
    }
    if (request.method !== "GET" || !url.pathname.startsWith(API)) {
      return this.send(response, url.pathname, 404, { error_code: "ENDPOINT_NOT_FOUND", message: "No API found for the request" });
    }
    const route = url.pathname.slice(API.length);
    const query = url.searchParams;
    switch (route) {
      case "registered-models/search":
        return this.searchModels(response, url.pathname, query);
      case "registered-models/get":
        return this.withModel(response, url.pathname, query.get("name"), (model) => ({ registered_model: this.renderModel(model) }));
      case "registered-models/alias":
        return this.byAlias(response, url.pathname, query);
      case "model-versions/search":
        return this.searchVersions(response, url.pathname, query);
      case "runs/get": {
        const runId = query.get("run_id");
        const metrics = runId ? this.runs.get(runId) : undefined;
        if (!metrics) return this.send(response, url.pathname, 404, { error_code: "RESOURCE_DOES_NOT_EXIST", message: `Run '${runId}' not found` });
        return this.send(response, url.pathname, 200, this.renderRun(runId!, metrics));
      }
      default:
        return this.send(response, url.pathname, 404, { error_code: "ENDPOINT_NOT_FOUND", message: "No API found for the request" });
    }
  }

  private searchModels(response: ServerResponse, path: string, query: URLSearchParams) {
    const max = Number(query.get("max_results") ?? 100);
    if (!Number.isInteger(max) || max < 1 || max > 1000) {
      return this.send(response, path, 400, { error_code: "INVALID_PARAMETER_VALUE", message: `Invalid value for request parameter max_results. It must be at most 1000, but got value ${query.get("max_results")}` });
    }
    // Models the token may not read are not listed, as MLflow's permission filter does.
    const visible = [...this.models.values()].filter((model) => !this.forbidden.has(model.name)).sort((a, b) => a.name.localeCompare(b.name));
    const page = this.page(visible, query.get("page_token"), Math.min(max, this.modelsPageSize));
    this.send(response, path, 200, omitEmpty({ registered_models: page.items.map((model) => this.renderModel(model)), next_page_token: page.next }));
  }

  private byAlias(response: ServerResponse, path: string, query: URLSearchParams) {
    if (!this.aliases) return this.send(response, path, 404, { error_code: "ENDPOINT_NOT_FOUND", message: "No API found for the request" });
    const alias = query.get("alias") ?? "";
    this.withModel(response, path, query.get("name"), (model) => {
      const version = model.aliases.get(alias);
      const found = model.versions.find((candidate) => candidate.version === version);
      if (!found) return { status: 400, body: { error_code: "INVALID_PARAMETER_VALUE", message: `Registered model alias ${alias} not found.` } };
      return { model_version: this.renderVersion(model, found) };
    });
  }

  private searchVersions(response: ServerResponse, path: string, query: URLSearchParams) {
    const filter = query.get("filter") ?? "";
    const match = /^name\s*=\s*(?:'([^']*)'|"([^"]*)")$/.exec(filter.trim());
    if (!match) return this.send(response, path, 400, { error_code: "INVALID_PARAMETER_VALUE", message: `Invalid filter '${filter}'` });
    const model = this.models.get(match[1] ?? match[2]!);
    const versions = model && !this.forbidden.has(model.name) ? [...model.versions].sort((a, b) => Number(b.version) - Number(a.version)) : [];
    const max = Number(query.get("max_results") ?? 10000);
    const page = this.page(versions, query.get("page_token"), Math.min(max, this.versionsPageSize));
    this.send(response, path, 200, omitEmpty({ model_versions: page.items.map((version) => this.renderVersion(model!, version)), next_page_token: page.next }));
  }

  private withModel(response: ServerResponse, path: string, name: string | null, answer: (model: FakeModel) => unknown) {
    const model = name ? this.models.get(name) : undefined;
    if (!model) return this.send(response, path, 404, { error_code: "RESOURCE_DOES_NOT_EXIST", message: `Registered Model with name=${name} not found` });
    if (this.forbidden.has(model.name)) return this.send(response, path, 403, { error_code: "PERMISSION_DENIED", message: `Permission denied for registered model ${model.name}` });
    const answered = answer(model) as { status?: number; body?: unknown };
    if (typeof answered.status === "number") return this.send(response, path, answered.status, answered.body);
    this.send(response, path, 200, answered);
  }

  private page<T>(items: T[], token: string | null, size: number): { items: T[]; next: string | undefined } {
    const offset = token ? Number(Buffer.from(token, "base64url").toString()) : 0;
    const next = offset + size < items.length ? Buffer.from(String(offset + size)).toString("base64url") : undefined;
    return { items: items.slice(offset, offset + size), next };
  }

  private renderModel(model: FakeModel) {
    // The latest READY version of each stage, as MLflow's latest_versions holds.
    const latest = new Map<string, FakeVersion>();
    for (const version of model.versions) {
      if ((version.status ?? "READY") !== "READY") continue;
      const known = latest.get(version.stage);
      if (!known || Number(version.version) > Number(known.version)) latest.set(version.stage, version);
    }
    return omitEmpty({
      name: model.name,
      creation_timestamp: model.created,
      last_updated_timestamp: model.updated,
      latest_versions: [...latest.values()].map((version) => this.renderVersion(model, version, false)),
      aliases: this.aliases ? [...model.aliases].map(([alias, version]) => ({ alias, version })) : undefined,
    });
  }

  private renderVersion(model: FakeModel, version: FakeVersion, withAliases = true) {
    return omitEmpty({
      name: model.name,
      version: version.version,
      creation_timestamp: version.created,
      last_updated_timestamp: version.updated,
      current_stage: version.stage,
      source: `models:/m-${model.name}-${version.version}`,
      run_id: version.runId,
      status: version.status ?? "READY",
      aliases: this.aliases && withAliases ? [...model.aliases].filter(([, pointed]) => pointed === version.version).map(([alias]) => alias) : undefined,
    });
  }

  private renderRun(runId: string, history: FakeMetric[]) {
    // runs/get: per key the value with the latest timestamp (the largest of ties).
    const latest = new Map<string, FakeMetric>();
    for (const metric of history) {
      const known = latest.get(metric.key);
      const larger = (a: FakeMetric, b: FakeMetric) => (a.value === "NaN" ? -Infinity : a.value) > (b.value === "NaN" ? -Infinity : b.value);
      if (!known || metric.timestamp > known.timestamp || (metric.timestamp === known.timestamp && larger(metric, known))) latest.set(metric.key, metric);
    }
    const times = history.map((metric) => metric.timestamp);
    return {
      run: {
        info: {
          run_id: runId,
          run_uuid: runId,
          experiment_id: "1",
          run_name: `run-${runId}`,
          status: "FINISHED",
          start_time: Math.min(...times) - 60_000,
          end_time: Math.max(...times),
          artifact_uri: `mlflow-artifacts:/1/${runId}/artifacts`,
          lifecycle_stage: "active",
        },
        data: omitEmpty({ metrics: [...latest.values()].map((metric) => ({ ...metric })), params: [{ key: "max_depth", value: "6" }] }),
      },
    };
  }

  private send(response: ServerResponse, path: string, status: number, body: unknown) {
    this.answers.push({ path, status, body });
    response.writeHead(status, { "content-type": "application/json" });
    response.end(JSON.stringify(body));
  }
}

/** Protobuf's JSON leaves out unset fields and empty repeated fields. */
function omitEmpty<T extends Record<string, unknown>>(message: T): Partial<T> {
  return Object.fromEntries(Object.entries(message).filter(([, value]) => value !== undefined && !(Array.isArray(value) && value.length === 0))) as Partial<T>;
}
