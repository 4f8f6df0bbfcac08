/**
 * The GitHub REST client: Octokit with the throttling plugin (waits out primary and secondary
 * rate limits) and the retry plugin (5xx and network errors, with backoff), plus what the
 * connector needs on top: conditional requests (ETag → 304), payload validation and a count of
 * every HTTP request made, retries included.
 */
import { retry } from "@octokit/plugin-retry";
import { throttling } from "@octokit/plugin-throttling";
import { Octokit } from "@octokit/rest";
import type Bottleneck from "bottleneck";
import type { z } from "zod";

const GitHub = Octokit.plugin(throttling, retry);

export interface ClientOptions {
  baseUrl: string;
  token: string;
  log: (line: string) => void;
  /** Called for every HTTP request sent, retries and 304s included. */
  countRequest: () => void;
  /**
   * Milliseconds per second of a Retry-After / rate-limit reset and per backoff step.
   * 1000 in production; tests pass 10 so a "wait 2 s" takes 20 ms.
   */
  retryAfterBaseValue?: number;
  /** Limiter groups of the throttling plugin to use instead of its own (the GraphQL spacing). */
  throttle?: { write?: Bottleneck.Group };
}

/** Secondary rate limits are retried this often before the repo gives up; primary ones always wait. */
const SECONDARY_LIMIT_RETRIES = 5;
const PRIMARY_LIMIT_RETRIES = 3;

export class MalformedResponseError extends Error {}

/** A listing's first page answered 200: its ETag and every page's validated items. */
export interface Listing<T> {
  etag: string | null;
  pages: AsyncGenerator<T[]>;
}

export class GitHubClient {
  /** Also the GraphQL client's (`octokit.graphql`): one throttle, one retry policy, one request count. */
  readonly octokit: InstanceType<typeof GitHub>;
  /** What the last answer said is left of its rate limit (`core` requests or `graphql` points). */
  rateLimit: { remaining: number; resource: string } | null = null;

  constructor(options: ClientOptions) {
    const base = options.retryAfterBaseValue ?? 1000;
    this.octokit = new GitHub({
      auth: options.token,
      baseUrl: options.baseUrl.replace(/\/+$/, ""),
      userAgent: "shipshape",
      log: { debug: () => {}, info: () => {}, warn: (message: string) => options.log(message), error: () => {} },
      request: {
        fetch: (input: RequestInfo | URL, init?: RequestInit) => {
          options.countRequest();
          return fetch(input, init);
        },
      },
      throttle: {
        ...options.throttle,
        retryAfterBaseValue: base,
        onRateLimit: (retryAfter: number, request: { method: string; url: string }, _octokit: unknown, retryCount: number) => {
          options.log(`GitHub rate limit reached on ${request.method} ${request.url}; waiting ${retryAfter} s`);
          return retryCount < PRIMARY_LIMIT_RETRIES;
        },
        onSecondaryRateLimit: (retryAfter: number, request: { method: string; url: string }, _octokit: unknown, retryCount: number) => {
          options.log(`GitHub secondary rate limit on ${request.method} ${request.url}; waiting ${retryAfter} s`);
          return retryCount < SECONDARY_LIMIT_RETRIES;
        },
      },
      // 429 is a rate limit: the throttling plugin owns it, not the 5xx backoff.
      retry: { retryAfterBaseValue: base, doNotRetry: [400, 401, 403, 404, 410, 422, 429, 451] },
    });
    // Octokit hands a JSON body it cannot parse on as a string; stop it here, before pagination reads it.
    this.octokit.hook.after("request", (response) => {
      const remaining = Number(response.headers["x-ratelimit-remaining"]);
      if (Number.isFinite(remaining)) this.rateLimit = { remaining, resource: String(response.headers["x-ratelimit-resource"] ?? "core") };
      if (typeof response.data === "string" && /json/.test(String(response.headers["content-type"]))) {
        throw new MalformedResponseError(`malformed response from ${response.url}: not JSON`);
      }
    });
  }

  /** One GET; null when `etag` still matches (304). */
  async get<S extends z.ZodType>(route: string, params: Record<string, unknown>, schema: S, etag?: string | null): Promise<{ data: z.infer<S>; etag: string | null } | null> {
    try {
      const response = await this.octokit.request(`GET ${route}`, { ...params, headers: conditional(etag) });
      return { data: validate(schema, response.data, response.url), etag: response.headers.etag ?? null };
    } catch (error) {
      if (statusOf(error) === 304) return null;
      throw error;
    }
  }

  /**
   * A paginated listing following `Link: rel="next"`. Only the first page is conditional: null
   * when it answers 304. Each page is validated item by item.
   */
  async list<S extends z.ZodType>(route: string, params: Record<string, unknown>, schema: S, etag?: string | null): Promise<Listing<z.infer<S>> | null> {
    const iterator = this.octokit.paginate.iterator(`GET ${route}`, { ...params, headers: conditional(etag) })[Symbol.asyncIterator]();
    let first: IteratorResult<{ data: unknown; url: string; headers: { etag?: string } }>;
    try {
      first = await iterator.next();
    } catch (error) {
      if (statusOf(error) === 304) return null;
      throw error;
    }
    const toItems = (page: { data: unknown; url: string }) => arrayOf(page.data, page.url).map((item) => validate(schema, item, page.url));
    async function* pages(): AsyncGenerator<z.infer<S>[]> {
      if (first.done) return;
      yield toItems(first.value);
      for (let next = await iterator.next(); !next.done; next = await iterator.next()) yield toItems(next.value);
    }
    return { etag: first.done ? null : (first.value.headers.etag ?? null), pages: pages() };
  }
}

function conditional(etag: string | null | undefined): Record<string, string> {
  return etag ? { "if-none-match": etag } : {};
}

function arrayOf(data: unknown, url: string): unknown[] {
  if (!Array.isArray(data)) throw new MalformedResponseError(`malformed response from ${url}: ${typeof data === "string" ? "not JSON" : "expected a JSON array"}`);
  return data;
}

function validate<S extends z.ZodType>(schema: S, data: unknown, url: string): z.infer<S> {
  const result = schema.safeParse(data);
  if (result.success) return result.data;
  const [issue] = result.error.issues;
  const where = issue?.path.length ? ` at ${issue.path.join(".")}` : "";
  throw new MalformedResponseError(`malformed response from ${url}${where}: ${typeof data === "string" ? "not JSON" : issue?.message}`);
}

/** The HTTP status of an Octokit RequestError, else undefined. */
export function statusOf(error: unknown): number | undefined {
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === "number" ? status : undefined;
}

/** One line saying what went wrong talking to GitHub, for the sync run's error. */
export function describeFailure(error: unknown): string {
  const status = statusOf(error);
  const request = (error as { request?: { method?: string; url?: string } }).request;
  const on = request?.url ? ` on ${request.method ?? "GET"} ${new URL(request.url).pathname}` : "";
  // GitHub's own message, without the documentation link Octokit appends.
  const apiMessage = (error as { response?: { data?: { message?: unknown } } }).response?.data?.message;
  const message = typeof apiMessage === "string" ? apiMessage : error instanceof Error ? error.message : String(error);
  if (error instanceof MalformedResponseError || status === undefined) return message;
  if (status === 401) return `GitHub refused the token (401 ${message})${on}: check sources.github.token`;
  if (status === 404) return `not found (404)${on}: the repository does not exist or the token cannot read it`;
  if (status === 403 || status === 429) return `access denied (${status} ${message})${on}`;
  if (status >= 500 && !(error as { response?: unknown }).response) return `cannot reach GitHub (${message})${on}`;
  return `GitHub answered ${status} (${message})${on}`;
}
