/**
 * Reading DAG runs through Airflow's REST API: `/api/v1` (Airflow 2) or `/api/v2` (Airflow 3).
 * Authentication: Airflow 2 takes basic auth (username and password) or a Bearer token;
 * Airflow 3 takes no basic auth, so a username and password are exchanged for a JWT at
 * `POST /auth/token` (again when a request is answered 401: the token expired mid-sync), or a
 * configured Bearer token is sent as it is.
 *
 * Finished runs are listed oldest end first, from an end date on, page by page with
 * `limit`/`offset`. The server caps `limit` (`maximum_page_limit`, 100 by default) without
 * saying so: the next offset is what the page held, and `total_entries` says when it is done.
 */
import { JsonClient, type JsonClientOptions, type QueryValue } from "@/connectors/http/json-client";
import { dagRunCollectionSchema, dagSchema, describeAirflowError, tokenSchema, type DagRunPayload } from "./payloads";

export interface AirflowConnection extends Pick<JsonClientOptions, "log" | "countRequest" | "backoffMs" | "retries"> {
  baseUrl: string;
  apiVersion: 1 | 2;
  username?: string;
  password?: string;
  token?: string;
}

/** Runs asked for per page; a server whose `maximum_page_limit` is lower sends fewer. */
export const PAGE_LIMIT = 100;

export class AirflowClient {
  private readonly api: JsonClient;
  private readonly auth: JsonClient;
  private readonly prefix: string;
  private jwt: string | null = null;

  constructor(private readonly connection: AirflowConnection) {
    const common = { ...connection, service: "Airflow", describeBody: describeAirflowError };
    this.auth = new JsonClient(common);
    this.api = new JsonClient({
      ...common,
      headers: () => this.authorization(),
      reauthenticate: this.exchangesPassword ? () => this.authenticate() : undefined,
    });
    this.prefix = `/api/v${connection.apiVersion}`;
  }

  get origin(): string {
    return this.api.origin;
  }

  /** Airflow 3 with a username and password: a JWT is needed before the first request. */
  private get exchangesPassword(): boolean {
    const { apiVersion, username, password, token } = this.connection;
    return apiVersion === 2 && !token && Boolean(username && password);
  }

  /** Gets the JWT where one is needed (Airflow 3 with a username and password); nothing to do otherwise. */
  async authenticate(): Promise<void> {
    if (!this.exchangesPassword) return;
    const { username, password } = this.connection;
    this.jwt = (await this.auth.post("/auth/token", { username, password }, tokenSchema)).access_token;
  }

  private authorization(): Record<string, string> {
    const { token, username, password } = this.connection;
    if (token) return { Authorization: `Bearer ${token}` };
    if (this.jwt) return { Authorization: `Bearer ${this.jwt}` };
    if (username && password) return { Authorization: `Basic ${Buffer.from(`${username}:${password}`).toString("base64")}` };
    return {};
  }

  /**
   * The DAG's finished runs (success or failed) whose end date is at or after `endedFrom`
   * (all when null), oldest end first, page by page.
   */
  async *finishedRuns(dagId: string, endedFrom: string | null): AsyncGenerator<DagRunPayload[]> {
    for (let offset = 0; ; ) {
      const query: Record<string, QueryValue> = {
        limit: PAGE_LIMIT,
        offset,
        state: ["success", "failed"],
        end_date_gte: endedFrom ?? undefined,
        // One field: Airflow 3.0 reads order_by as one value (a repeated one would be its last), 3.1+ as a
        // list, and Airflow 3 breaks ties by the run's primary key itself. Ascending, so a run that ends
        // while we page lands after the pages already read instead of shifting them.
        order_by: "end_date",
      };
      const page = await this.api.get(`${this.prefix}/dags/${encodeURIComponent(dagId)}/dagRuns`, query, dagRunCollectionSchema);
      if (page.dag_runs.length === 0 && offset === 0 && this.connection.apiVersion === 1) await this.requireDag(dagId);
      yield page.dag_runs;
      offset += page.dag_runs.length;
      if (page.dag_runs.length === 0 || offset >= page.total_entries) return;
    }
  }

  /**
   * Airflow 2 lists no runs, rather than 404, for a DAG it does not have; an empty list is
   * checked against GET /dags/{dag_id}, so a mistyped DAG id is an error, not silence.
   */
  private async requireDag(dagId: string): Promise<void> {
    await this.api.get(`${this.prefix}/dags/${encodeURIComponent(dagId)}`, {}, dagSchema);
  }
}
