/**
 * Reading the MLflow Model Registry through its REST API 2.0 (`<base_url>/api/2.0/mlflow/…`),
 * with a Bearer token or none: registered models (searched page by page, or one by name), the
 * version an alias points to, a model's versions (for the `Production` stage), and a run's
 * latest metrics. Paging follows `next_page_token`.
 */
import { HttpFailure, JsonClient, type JsonClientOptions } from "@/connectors/http/json-client";
import {
  describeMlflowError,
  getRegisteredModelSchema,
  getRunSchema,
  modelVersionByAliasSchema,
  searchModelVersionsSchema,
  searchRegisteredModelsSchema,
  type MetricPayload,
  type ModelVersionPayload,
  type RegisteredModelPayload,
} from "./payloads";

export interface MlflowConnection extends Pick<JsonClientOptions, "log" | "countRequest" | "backoffMs" | "retries"> {
  baseUrl: string;
  /** A Bearer token (Databricks: a personal access token); none for an open server. */
  token?: string;
}

const API = "/api/2.0/mlflow";
/** The documented maximum of registered-models/search. */
const MODELS_PAGE = 1000;
/** Versions per model-versions/search page (servers may cap lower; paging follows the token). */
const VERSIONS_PAGE = 1000;

export class MlflowClient {
  private readonly client: JsonClient;

  constructor(connection: MlflowConnection) {
    const headers: Record<string, string> = connection.token ? { Authorization: `Bearer ${connection.token}` } : {};
    this.client = new JsonClient({ ...connection, service: "MLflow", headers: () => headers, describeBody: describeMlflowError });
  }

  get origin(): string {
    return this.client.origin;
  }

  /** Every registered model the token may see, page by page. */
  async *registeredModels(): AsyncGenerator<RegisteredModelPayload[]> {
    let pageToken: string | undefined;
    do {
      const page = await this.client.get(`${API}/registered-models/search`, { max_results: MODELS_PAGE, page_token: pageToken }, searchRegisteredModelsSchema);
      yield page.registered_models ?? [];
      pageToken = page.next_page_token || undefined;
    } while (pageToken);
  }

  /** One registered model by name, with its aliases and its latest version per stage. */
  async registeredModel(name: string): Promise<RegisteredModelPayload> {
    return (await this.client.get(`${API}/registered-models/get`, { name }, getRegisteredModelSchema)).registered_model;
  }

  /**
   * The version `alias` points to; null when the alias is not set (any more). MLflow's own
   * server says so with 400 INVALID_PARAMETER_VALUE "Registered model alias … not found.",
   * other registries with 404 RESOURCE_DOES_NOT_EXIST.
   */
  async versionByAlias(name: string, alias: string): Promise<ModelVersionPayload | null> {
    try {
      return (await this.client.get(`${API}/registered-models/alias`, { name, alias }, modelVersionByAliasSchema)).model_version;
    } catch (error) {
      if (isMissingAlias(error, alias)) return null;
      throw error;
    }
  }

  /** Every version of the model, page by page. */
  async *versions(name: string): AsyncGenerator<ModelVersionPayload[]> {
    let pageToken: string | undefined;
    do {
      const query = { filter: nameFilter(name), max_results: VERSIONS_PAGE, page_token: pageToken };
      const page = await this.client.get(`${API}/model-versions/search`, query, searchModelVersionsSchema);
      yield page.model_versions ?? [];
      pageToken = page.next_page_token || undefined;
    } while (pageToken);
  }

  /** The run's latest value of each metric key; null when the tracking server has no such run. */
  async runMetrics(runId: string): Promise<MetricPayload[] | null> {
    try {
      return (await this.client.get(`${API}/runs/get`, { run_id: runId }, getRunSchema)).run.data?.metrics ?? [];
    } catch (error) {
      if (error instanceof HttpFailure && error.kind === "not_found") return null;
      throw error;
    }
  }
}

function isMissingAlias(error: unknown, alias: string): boolean {
  if (!(error instanceof HttpFailure)) return false;
  if (error.kind === "not_found") return true;
  const message = (error.body as { message?: unknown } | undefined)?.message;
  return error.kind === "invalid" && typeof message === "string" && message.includes(`alias ${alias} not found`);
}

/** `name='fraud-xgb'`; a name with a single quote in it is written in double quotes. */
function nameFilter(name: string): string {
  return name.includes("'") ? `name="${name}"` : `name='${name}'`;
}
