/**
 * Reading Jira through jira.js: Version3Client on Jira Cloud (the current
 * /rest/api/3/search/jql with nextPageToken paging), Version2Client on Server / Data Center
 * (/rest/api/2/search with startAt paging). On top of the client: axios-retry on its axios
 * instance (429 waits out Retry-After, 5xx and network errors back off exponentially),
 * payload validation, a count of every HTTP request (retries included), and failures turned
 * into one `JiraRequestError` whose message says what happened.
 */
import { AxiosError, type AxiosInstance } from "axios";
import axiosRetry, { exponentialDelay, isRetryableError } from "axios-retry";
import { AgileClient, HttpException, Version2Client, Version3Client, type Config } from "jira.js";
import type { z } from "zod";
import {
  agilePageSchema,
  boardSchema,
  changelogPageSchema,
  issueChangelogSchema,
  issueSchema,
  myselfSchema,
  offsetPageSchema,
  scannedIssueSchema,
  sprintSchema,
  tokenPageSchema,
  type JiraBoard,
  type JiraSprint,
  type JiraHistory,
  type JiraIssue,
  type ScannedIssue,
} from "./payloads";

export interface JiraConnection {
  baseUrl: string;
  /** Jira Cloud: the account's email, used with an API token. Absent: `token` is a personal access token (Server / Data Center), sent as a Bearer token. */
  email?: string;
  token: string;
  /** 3: Jira Cloud; 2: Server / Data Center. */
  apiVersion: 2 | 3;
  log: (line: string) => void;
  /** Called for every HTTP request sent, retries included. */
  countRequest: () => void;
  /** First backoff step in ms, doubled per retry (Retry-After wins when longer). Tests pass a few ms. */
  backoffMs?: number;
  /** Retries after the first attempt of one request. */
  retries?: number;
}

/**
 * auth: 401/403 (nothing will work); query: Jira refused the JQL (e.g. an unknown project);
 * not_found: 404; unavailable: 429/5xx/network still failing after the retries; malformed: not
 * JSON, or not the shape Jira documents.
 */
export type JiraFailure = "auth" | "query" | "not_found" | "unavailable" | "malformed";

export class JiraRequestError extends Error {
  constructor(
    message: string,
    readonly failure: JiraFailure,
  ) {
    super(message);
  }
}

const DEFAULT_BACKOFF_MS = 1000;
const REQUEST_TIMEOUT_MS = 60_000;
const DEFAULT_RETRIES = 4;
/** Issues asked for per page. Jira may answer fewer (Cloud caps pages by payload size); paging follows what it sends. */
const PAGE_SIZE = 100;
/** The reconcile scan asks for three small fields, so it asks for bigger pages. */
const SCAN_PAGE_SIZE = 1000;
/** Boards and sprints per Agile API page (Jira's default and most common cap is 50). */
const AGILE_PAGE_SIZE = 50;

export class JiraReader {
  private readonly client: Version2Client | Version3Client;
  /** The Agile API (/rest/agile/1.0: boards and sprints), the same on Cloud and Server / Data Center. */
  private readonly agile: AgileClient;
  private readonly api: string;

  constructor(private readonly connection: JiraConnection) {
    const config: Config = {
      host: connection.baseUrl.replace(/\/+$/, ""),
      authentication: connection.email ? { basic: { email: connection.email, apiToken: connection.token } } : undefined,
      baseRequestConfig: {
        headers: connection.email ? {} : { Authorization: `Bearer ${connection.token}` },
        // Without one a Jira that stops answering would hold the sync (and the next ones) forever.
        timeout: REQUEST_TIMEOUT_MS,
        // A body that is not JSON is an error, not a string handed on as the payload.
        responseType: "json",
        transitional: { silentJSONParsing: false },
      },
    };
    this.client = connection.apiVersion === 2 ? new Version2Client(config) : new Version3Client(config);
    this.api = `/rest/api/${connection.apiVersion}`;
    this.instrument(axiosOf(this.client));
    this.agile = new AgileClient(config);
    this.instrument(axiosOf(this.agile));
  }

  /** The boards whose filter includes the project (GET /rest/agile/1.0/board?projectKeyOrId=), page by page. */
  boards(projectKey: string): AsyncGenerator<JiraBoard[]> {
    return this.agilePages("GET /rest/agile/1.0/board", boardSchema, (startAt) =>
      this.agile.board.getAllBoards({ projectKeyOrId: projectKey, startAt, maxResults: AGILE_PAGE_SIZE }),
    );
  }

  /** A board's sprints, oldest first as Jira lists them (GET /rest/agile/1.0/board/{id}/sprint), page by page. */
  sprints(boardId: number): AsyncGenerator<JiraSprint[]> {
    return this.agilePages(`GET /rest/agile/1.0/board/${boardId}/sprint`, sprintSchema, (startAt) =>
      this.agile.board.getAllSprints({ boardId, startAt, maxResults: AGILE_PAGE_SIZE }),
    );
  }

  private async *agilePages<T extends z.ZodType>(what: string, value: T, request: (startAt: number) => Promise<unknown>): AsyncGenerator<z.infer<T>[]> {
    for (let startAt = 0; ; ) {
      const page = await this.call(what, agilePageSchema(value), () => request(startAt));
      yield page.values;
      startAt = page.startAt + page.values.length;
      if (page.isLast || page.values.length === 0) return;
    }
  }

  /** The account's IANA time zone: Jira reads the dates in JQL in it. */
  async timeZone(): Promise<string> {
    const client = this.client;
    const myself = await this.call(`GET ${this.api}/myself`, myselfSchema, () =>
      client instanceof Version3Client ? client.myself.getCurrentUser() : client.myself.getCurrentUser(),
    );
    return myself.timeZone;
  }

  /** The issues matching `jql` with `fields`, page by page, each with the first page of its changelog. */
  search(jql: string, fields: string[]): AsyncGenerator<JiraIssue[]> {
    return this.pages(jql, fields, "changelog", issueSchema, PAGE_SIZE);
  }

  /** Id, type, labels and `updated` of the issues matching `jql`, page by page. */
  scan(jql: string): AsyncGenerator<ScannedIssue[]> {
    return this.pages(jql, ["issuetype", "labels", "updated"], undefined, scannedIssueSchema, SCAN_PAGE_SIZE);
  }

  private async *pages<T extends z.ZodType>(
    jql: string,
    fields: string[],
    expand: string | undefined,
    issue: T,
    maxResults: number,
  ): AsyncGenerator<z.infer<T>[]> {
    const client = this.client;
    if (client instanceof Version3Client) {
      let nextPageToken: string | undefined;
      do {
        const page = await this.call(`GET ${this.api}/search/jql`, tokenPageSchema(issue), () =>
          client.issueSearch.searchForIssuesUsingJqlEnhancedSearch({ jql, fields, expand, nextPageToken, maxResults }),
        );
        yield page.issues;
        nextPageToken = page.isLast === true ? undefined : (page.nextPageToken ?? undefined);
      } while (nextPageToken);
      return;
    }
    for (let startAt = 0; ; ) {
      const page = await this.call(`GET ${this.api}/search`, offsetPageSchema(issue), () =>
        client.issueSearch.searchForIssuesUsingJql({ jql, fields, expand, startAt, maxResults }),
      );
      yield page.issues;
      startAt = page.startAt + page.issues.length;
      if (page.issues.length === 0 || startAt >= page.total) return;
    }
  }

  /**
   * Every history entry of the issue. Search answers embed only the first page of a long
   * changelog (`total` says how many there are); then the rest is read: Cloud pages
   * /issue/{id}/changelog, Server / Data Center (which has no such endpoint) returns the whole
   * changelog with the issue.
   */
  async histories(issue: JiraIssue): Promise<JiraHistory[]> {
    const embedded = issue.changelog?.histories ?? [];
    if (issue.changelog && (issue.changelog.total ?? 0) <= embedded.length) return embedded;
    const client = this.client;
    if (client instanceof Version2Client) {
      const full = await this.call(`GET ${this.api}/issue/${issue.id}`, issueChangelogSchema, () =>
        client.issues.getIssue({ issueIdOrKey: issue.id, fields: ["created"], expand: "changelog" }),
      );
      return full.changelog.histories;
    }
    const all: JiraHistory[] = [];
    for (;;) {
      const page = await this.call(`GET ${this.api}/issue/${issue.id}/changelog`, changelogPageSchema, () =>
        client.issues.getChangeLogs({ issueIdOrKey: issue.id, startAt: all.length, maxResults: PAGE_SIZE }),
      );
      all.push(...page.values);
      const done = page.isLast ?? all.length >= (page.total ?? 0);
      if (done || page.values.length === 0) return all;
    }
  }

  /** One issue by id (which survives moves between projects); null when Jira does not know it (deleted, or no longer visible). */
  async issueById(id: string, fields: string[], withChangelog = false): Promise<JiraIssue | null> {
    try {
      const client = this.client;
      const parameters = { issueIdOrKey: id, fields, expand: withChangelog ? "changelog" : undefined };
      return await this.call(`GET ${this.api}/issue/${id}`, issueSchema, () =>
        client instanceof Version3Client ? client.issues.getIssue(parameters) : client.issues.getIssue(parameters),
      );
    } catch (error) {
      if (error instanceof JiraRequestError && error.failure === "not_found") return null;
      throw error;
    }
  }

  private instrument(axios: AxiosInstance) {
    axios.interceptors.request.use((config) => {
      this.connection.countRequest();
      return config;
    });
    const backoff = this.connection.backoffMs ?? DEFAULT_BACKOFF_MS;
    axiosRetry(axios, {
      retries: this.connection.retries ?? DEFAULT_RETRIES,
      // Every request here is a read, so 429, 5xx and network errors are safe to repeat.
      retryCondition: isRetryableError,
      retryDelay: (retryCount, error) => exponentialDelay(retryCount - 1, error, backoff),
      onRetry: (retryCount, error, request) =>
        this.connection.log(`Jira: ${error.response?.status ?? error.code} on ${request.url}; retry ${retryCount}`),
    });
  }

  private async call<S extends z.ZodType>(what: string, schema: S, request: () => Promise<unknown>): Promise<z.infer<S>> {
    let data: unknown;
    try {
      data = await request();
    } catch (error) {
      throw describeFailure(error, what, this.connection.baseUrl);
    }
    const parsed = schema.safeParse(data);
    if (!parsed.success) {
      const [issue] = parsed.error.issues;
      const where = issue!.path.length ? ` at ${issue!.path.join(".")}` : "";
      throw new JiraRequestError(`${what}: Jira's answer is not what its API documents${where}: ${issue!.message}`, "malformed");
    }
    return parsed.data;
  }
}

/**
 * jira.js keeps its axios instance private and offers no retry hook; axios-retry needs the
 * instance. The field name is stable across jira.js 5.x (pinned in package.json); if it ever
 * moves, fail loudly here rather than sync without retries.
 */
function axiosOf(client: Version2Client | Version3Client | AgileClient): AxiosInstance {
  const instance = (client as unknown as { instance?: AxiosInstance }).instance;
  if (!instance?.interceptors) throw new Error("jira.js no longer exposes its axios instance: update connectors/jira/client.ts");
  return instance;
}

function describeFailure(error: unknown, what: string, baseUrl: string): JiraRequestError {
  const axiosError = error instanceof HttpException ? error.cause : error;
  const status = error instanceof HttpException ? error.status : axiosError instanceof AxiosError ? axiosError.response?.status : undefined;
  if (axiosError instanceof AxiosError && axiosError.code === AxiosError.ERR_BAD_RESPONSE && status !== undefined && status < 300) {
    return new JiraRequestError(`${what}: Jira's answer is not valid JSON (${axiosError.message})`, "malformed");
  }
  if (status === undefined) {
    const reason = error instanceof Error ? error.message : String(error);
    return new JiraRequestError(`${what}: cannot reach Jira at ${baseUrl} (${reason})`, "unavailable");
  }
  const messages = errorMessages(error instanceof HttpException ? error.response : undefined);
  if (status === 401 || status === 403) {
    return new JiraRequestError(`${what}: Jira refused the credentials (${status}${messages ? `: ${messages}` : ""})`, "auth");
  }
  if (status === 404) return new JiraRequestError(`${what}: not found (404${messages ? `: ${messages}` : ""})`, "not_found");
  if (status === 400) return new JiraRequestError(`Jira rejected the query: ${messages || "400 Bad Request"}`, "query");
  const attempts = 1 + retriesMade(axiosError);
  return new JiraRequestError(`${what}: Jira answered ${status}${messages ? ` (${messages})` : ""} after ${attempts} attempt${attempts === 1 ? "" : "s"}`, "unavailable");
}

/** Jira's error body: `{"errorMessages": [...], "errors": {field: message}}`. */
function errorMessages(response: unknown): string {
  const body = (response as { data?: unknown } | undefined)?.data;
  if (typeof body !== "object" || body === null) return "";
  const { errorMessages: list, errors } = body as { errorMessages?: unknown; errors?: unknown };
  const lines = Array.isArray(list) ? list.filter((line): line is string => typeof line === "string") : [];
  if (typeof errors === "object" && errors !== null) {
    for (const [field, message] of Object.entries(errors)) if (typeof message === "string") lines.push(`${field}: ${message}`);
  }
  return lines.join("; ");
}

function retriesMade(error: unknown): number {
  return error instanceof AxiosError ? (error.config?.["axios-retry"]?.retryCount ?? 0) : 0;
}
