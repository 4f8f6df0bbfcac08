/**
 * The HTTP JSON client of the sources that have no client library of their own (MLflow,
 * Airflow): axios with axios-retry (429 waits out Retry-After, 5xx and network errors back off
 * exponentially), a count of every request sent (retries included), list parameters repeated
 * (`state=success&state=failed`, as both MLflow and Airflow read them), every answer checked
 * against the payload schema the API documents, and every failure turned into one
 * `HttpFailure` whose message is one line naming the server and what it answered.
 */
import axios, { AxiosError, type AxiosInstance, type AxiosRequestConfig } from "axios";
import axiosRetry, { exponentialDelay, isRetryableError } from "axios-retry";
import type { z } from "zod";
import type { SourceFailure } from "@/connectors/stream";

/**
 * auth: 401 (nothing will work with these credentials); forbidden: 403 (this one thing is not
 * allowed: MLflow and Airflow both grant per model / per DAG); not_found: 404; invalid: the
 * server refused the request (400, 422); unavailable: 429/5xx/network still failing after the
 * retries; malformed: not JSON, or not the shape the API documents.
 */
export type HttpFailureKind = "auth" | "forbidden" | "not_found" | "invalid" | "unavailable" | "malformed";

export class HttpFailure extends Error {
  constructor(
    message: string,
    readonly kind: HttpFailureKind,
    /** The HTTP status, when the server answered. */
    readonly status?: number,
    /** The answer's body as parsed (JSON) or text, when there was one. */
    readonly body?: unknown,
  ) {
    super(message);
  }
}

export interface JsonClientOptions {
  /** How messages name the server: "MLflow", "Airflow". */
  service: string;
  /** The server's address as configured: messages say it, requests go under it. */
  baseUrl: string;
  /** Headers of every request (authentication); asked again after `reauthenticate`. */
  headers?: () => Record<string, string>;
  /**
   * Called once when a request is answered 401, before it is sent again: a short-lived token
   * (Airflow 3's JWT) is renewed here. Absent: a 401 is a failure at once.
   */
  reauthenticate?: () => Promise<void>;
  /** What the server's error body says, in a few words (its error code and message). */
  describeBody: (body: unknown) => string;
  log: (line: string) => void;
  /** Called for every HTTP request sent, retries included. */
  countRequest: () => void;
  /** First backoff step in ms, doubled per retry (Retry-After wins when longer). Tests pass a few ms. */
  backoffMs?: number;
  /** Retries after the first attempt of one request. */
  retries?: number;
}

const DEFAULT_BACKOFF_MS = 1000;
const DEFAULT_RETRIES = 4;
const REQUEST_TIMEOUT_MS = 60_000;
/** An error body is said in at most this many characters: one line, never a page of HTML. */
const MAX_DETAIL = 240;

export type QueryValue = string | number | boolean | (string | number)[] | undefined;

export class JsonClient {
  private readonly http: AxiosInstance;
  readonly origin: string;

  constructor(private readonly options: JsonClientOptions) {
    this.origin = options.baseUrl.replace(/\/+$/, "");
    this.http = axios.create({
      baseURL: this.origin,
      // Without one a server that stops answering would hold the sync (and the next ones) forever.
      timeout: REQUEST_TIMEOUT_MS,
      // Bodies arrive as text and are parsed here: an error page that is not JSON (a proxy's 502)
      // keeps its status, and a 200 that is not JSON is said to be so.
      responseType: "text",
      // `state=success&state=failed`, not axios's default `state[]=…`.
      paramsSerializer: { indexes: null },
      headers: { Accept: "application/json" },
    });
    this.http.interceptors.request.use((config) => {
      options.countRequest();
      return config;
    });
    const backoff = options.backoffMs ?? DEFAULT_BACKOFF_MS;
    axiosRetry(this.http, {
      retries: options.retries ?? DEFAULT_RETRIES,
      // Every request here is a read (or a token exchange), so 429, 5xx and network errors are safe to repeat.
      retryCondition: isRetryableError,
      retryDelay: (retryCount, error) => exponentialDelay(retryCount - 1, error, backoff),
      onRetry: (retryCount, error, request) => options.log(`${options.service}: ${error.response?.status ?? error.code} on ${request.url}; retry ${retryCount}`),
    });
  }

  /** GET `path` with `query` (undefined values are left out), checked against `schema`. */
  get<S extends z.ZodType>(path: string, query: Record<string, QueryValue>, schema: S): Promise<z.infer<S>> {
    return this.send({ method: "GET", url: path, params: query }, schema);
  }

  /** POST a JSON body to `path`, checked against `schema`. */
  post<S extends z.ZodType>(path: string, body: unknown, schema: S): Promise<z.infer<S>> {
    return this.send({ method: "POST", url: path, data: body, headers: { "Content-Type": "application/json" } }, schema);
  }

  private async send<S extends z.ZodType>(request: AxiosRequestConfig, schema: S, renewed = false): Promise<z.infer<S>> {
    const what = `${request.method} ${request.url}`;
    let text: string;
    try {
      const response = await this.http.request<string>({ ...request, headers: { ...this.options.headers?.(), ...request.headers } });
      text = response.data;
    } catch (error) {
      if (!renewed && this.options.reauthenticate && error instanceof AxiosError && error.response?.status === 401) {
        await this.options.reauthenticate();
        return this.send(request, schema, true);
      }
      throw this.failure(error, what);
    }
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch (error) {
      throw new HttpFailure(`${this.options.service}'s answer to ${what} is not valid JSON (${(error as Error).message})`, "malformed");
    }
    const parsed = schema.safeParse(data);
    if (!parsed.success) {
      const [issue] = parsed.error.issues;
      const where = issue!.path.length ? ` at ${issue!.path.join(".")}` : "";
      throw new HttpFailure(`${this.options.service}'s answer to ${what} is not what its API documents${where}: ${issue!.message}`, "malformed");
    }
    return parsed.data;
  }

  private failure(error: unknown, what: string): HttpFailure {
    const { service } = this.options;
    if (!(error instanceof AxiosError)) return new HttpFailure(`${what}: ${error instanceof Error ? error.message : String(error)}`, "unavailable");
    const status = error.response?.status;
    if (status === undefined) {
      return new HttpFailure(`cannot reach ${service} at ${this.origin} (${error.message}) for ${what}`, "unavailable");
    }
    const body = parseBody(error.response?.data);
    const detail = oneLine(describeErrorBody(body, this.options.describeBody));
    const attempts = 1 + (error.config?.["axios-retry"]?.retryCount ?? 0);
    const tries = attempts > 1 ? ` after ${attempts} attempts` : "";
    const message = `${service} at ${this.origin} answered ${status}${detail ? ` (${detail})` : ""} to ${what}${tries}`;
    return new HttpFailure(message, kindOf(status), status, body);
  }
}

/** An error answer's body: its JSON when it is JSON, else its text. */
function parseBody(text: unknown): unknown {
  if (typeof text !== "string") return text;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function kindOf(status: number): HttpFailureKind {
  if (status === 401) return "auth";
  if (status === 403) return "forbidden";
  if (status === 404) return "not_found";
  if (status === 400 || status === 409 || status === 422) return "invalid";
  return "unavailable";
}

/** A JSON body in the server's own words; a text body (a proxy's HTML page) by its first words. */
function describeErrorBody(body: unknown, describe: (body: unknown) => string): string {
  if (body === undefined || body === null || body === "") return "";
  if (typeof body === "string") {
    const title = /<title>([^<]*)<\/title>/i.exec(body)?.[1];
    return title ?? body.replace(/<[^>]*>/g, " ");
  }
  return describe(body);
}

function oneLine(text: string): string {
  const line = text.replace(/\s+/g, " ").trim();
  return line.length > MAX_DETAIL ? `${line.slice(0, MAX_DETAIL - 1)}…` : line;
}

/**
 * A source's failure line for an error of its JSON client: refused credentials (401) stop the
 * whole source, with `credentialsHint` saying what to check; anything else fails its partition.
 */
export function describeHttpFailure(error: unknown, credentialsHint: string): SourceFailure {
  if (!(error instanceof HttpFailure)) return { message: error instanceof Error ? error.message : String(error) };
  if (error.kind !== "auth") return { message: error.message };
  return { message: `${error.message}; ${credentialsHint}`, stopsSource: true };
}
