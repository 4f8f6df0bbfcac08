/**
 * GitHub's GraphQL API through the REST client's Octokit (`octokit.graphql`), so the throttling
 * plugin waits out primary limits (`RATE_LIMITED`, `x-ratelimit-reset`) and secondary ones
 * (`retry-after`) and every request is counted like the others. On top of that:
 *
 * - **Adaptive pages.** GitHub kills a query that runs over 10 s (502/504, or a 200 whose error
 *   says so) and still counts it. A page that times out is asked again at half the size (never
 *   below 1); a page answered quickly lets the size grow back (doubling, up to 100). Sizes are
 *   learnt per query for the run, so the second repo starts where the first ended.
 * - **The budget.** Every query asks for `rateLimit { cost remaining resetAt }`; when fewer
 *   points are left than the query cost last time, the client waits until `resetAt` instead of
 *   sending a query that would fail.
 * - **Validation.** Each answer is checked with the query's zod schema: a malformed one stops
 *   the repo with one line, like a REST payload.
 */
import { GraphqlResponseError } from "@octokit/graphql";
import type { z } from "zod";
import { MalformedResponseError, statusOf, type GitHubClient } from "@/connectors/github/client";
import type { GraphQLQuery } from "./queries";

/** GitHub allows 1–100 items per connection. */
export const MAX_PAGE = 100;
/** A page answered faster than this may grow. */
const FAST_MS = 2_500;
/** Timeouts at page size 1 are retried this often (with backoff) before the repo gives up. */
const TIMEOUT_RETRIES_AT_ONE = 3;

export interface GraphQLOptions {
  log: (line: string) => void;
  /** Milliseconds per second of a wait (rate-limit reset, backoff); tests pass 10. */
  retryAfterBaseValue?: number;
  /** The client gives up on a query after this long (GitHub's own limit is 10 s); tests shorten it. */
  queryTimeoutMs?: number;
}

/** What the last answer said of the budget. */
export interface Budget {
  remaining: number;
  resetAt: string;
  /** Points spent by this run's queries. */
  spent: number;
}

export interface Connection<T> {
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  nodes: T[];
}

/** The size of one query's pages, learnt as the run goes. */
export class PageSize {
  constructor(
    public value: number,
    private readonly max = MAX_PAGE,
  ) {}

  /** After a timeout: half, never below 1. Returns false when it was 1 already. */
  halve(): boolean {
    if (this.value === 1) return false;
    this.value = Math.max(1, Math.floor(this.value / 2));
    return true;
  }

  /** After a page: grow back when it was quick. */
  answered(ms: number): void {
    if (ms < FAST_MS) this.value = Math.min(this.max, this.value * 2);
  }
}

export class GraphQLClient {
  readonly budget: Budget = { remaining: Number.NaN, resetAt: "", spent: 0 };
  private readonly sizes = new Map<string, PageSize>();
  private readonly lastCost = new Map<string, number>();
  private readonly base: number;
  private readonly timeoutMs: number;

  constructor(
    private readonly client: GitHubClient,
    private readonly options: GraphQLOptions,
  ) {
    this.base = options.retryAfterBaseValue ?? 1000;
    this.timeoutMs = options.queryTimeoutMs ?? 30_000;
  }

  /** The page size of `query` for this run (its `startAt` until it learnt better). */
  pageSize(query: GraphQLQuery): PageSize {
    let size = this.sizes.get(query.name);
    if (!size) this.sizes.set(query.name, (size = new PageSize(query.startAt ?? MAX_PAGE)));
    return size;
  }

  /** One query; its answer checked with `schema`. */
  async run<S extends z.ZodType>(query: GraphQLQuery, variables: Record<string, unknown>, schema: S): Promise<z.infer<S>> {
    await this.waitForBudget(query);
    const signal = AbortSignal.timeout(this.timeoutMs);
    let data: unknown;
    try {
      // plugin-retry would retry a timed-out page at the same size: sizes are this client's to change.
      data = await this.client.octokit.graphql(query.text, { ...variables, request: { retries: 0, signal } });
    } catch (error) {
      if (signal.aborted) throw new QueryTimeoutError(`GitHub did not answer the ${query.name} query within ${this.timeoutMs / 1000} s`);
      throw error;
    }
    const result = schema.safeParse(data);
    if (!result.success) {
      const [issue] = result.error.issues;
      throw new MalformedResponseError(`malformed GraphQL answer to ${query.name}${issue?.path.length ? ` at ${issue.path.join(".")}` : ""}: ${issue?.message}`);
    }
    const rate = (result.data as { rateLimit?: { cost: number; remaining: number; resetAt: string } }).rateLimit;
    if (rate) {
      Object.assign(this.budget, { remaining: rate.remaining, resetAt: rate.resetAt, spent: this.budget.spent + rate.cost });
      this.lastCost.set(query.name, rate.cost);
    }
    return result.data;
  }

  /**
   * One page of `query` at the learnt size: asked again at half the size while it times out,
   * and the size grows back when it answers quickly.
   */
  async page<S extends z.ZodType>(query: GraphQLQuery, variables: Record<string, unknown>, schema: S, atMost?: number): Promise<z.infer<S>> {
    const size = this.pageSize(query);
    for (let atOne = 0; ; ) {
      const started = Date.now();
      try {
        const data = await this.run(query, { ...variables, first: Math.min(size.value, atMost ?? MAX_PAGE) }, schema);
        size.answered(Date.now() - started);
        return data;
      } catch (error) {
        if (!isQueryTimeout(error)) throw error;
        const was = size.value;
        if (size.halve()) {
          this.options.log(`GitHub GraphQL: ${query.name} timed out at ${was} per page (${timeoutCause(error)}); asking for ${size.value}`);
          continue;
        }
        if (++atOne > TIMEOUT_RETRIES_AT_ONE) throw error;
        this.options.log(`GitHub GraphQL: ${query.name} timed out at 1 per page (${timeoutCause(error)}); trying again in ${atOne * atOne} s`);
        await sleep(atOne * atOne * this.base);
      }
    }
  }

  /**
   * Every page of a connection, from the start: `connection` finds it in an answer. The caller
   * may stop early (at its cursor). `firstPage` caps the first page's size (a re-sync probes
   * with a small page: most often nothing changed); `laterVariables` replace variables for the
   * pages after the first.
   */
  async *pages<S extends z.ZodType, T>(
    query: GraphQLQuery,
    variables: Record<string, unknown>,
    schema: S,
    connection: (data: z.infer<S>) => Connection<T> | null | undefined,
    options: { firstPage?: number; laterVariables?: Record<string, unknown> } = {},
  ): AsyncGenerator<T[]> {
    for (let after: string | null = null, index = 0; ; index++) {
      const vars = index === 0 ? variables : { ...variables, ...options.laterVariables };
      const data = await this.page(query, { ...vars, after }, schema, index === 0 ? options.firstPage : undefined);
      const found = connection(data);
      if (!found) return;
      yield found.nodes;
      if (!found.pageInfo.hasNextPage || !found.pageInfo.endCursor) return;
      after = found.pageInfo.endCursor;
    }
  }

  /** The items of a node's connection past its first page (`first`, already read), by the node's id. */
  async remaining<S extends z.ZodType, T>(
    query: GraphQLQuery,
    id: string,
    first: Connection<T> | null | undefined,
    schema: S,
    connection: (data: z.infer<S>) => Connection<T> | null | undefined,
  ): Promise<T[]> {
    const items = [...(first?.nodes ?? [])];
    for (let after = first?.pageInfo.hasNextPage ? first.pageInfo.endCursor : null; after; ) {
      const found = connection(await this.page(query, { id, after }, schema));
      if (!found) break;
      items.push(...found.nodes);
      after = found.pageInfo.hasNextPage ? found.pageInfo.endCursor : null;
    }
    return items;
  }

  /** Waits until the reset when the points left would not pay for this query (what it cost last time). */
  private async waitForBudget(query: GraphQLQuery): Promise<void> {
    const needed = this.lastCost.get(query.name) ?? 1;
    if (!(this.budget.remaining < needed) || !this.budget.resetAt) return;
    const seconds = Math.max(0, Math.ceil((Date.parse(this.budget.resetAt) - Date.now()) / 1000)) + 1;
    this.options.log(`GitHub GraphQL: ${this.budget.remaining} points left, ${query.name} costs ${needed}; waiting ${seconds} s for the reset at ${this.budget.resetAt}`);
    await sleep(seconds * this.base);
    this.budget.remaining = Number.NaN;
  }
}

/** The client gave up waiting for an answer. */
export class QueryTimeoutError extends Error {}

/** GitHub killed the query (502/504, or its "may be the result of a timeout" error), or we gave up waiting. */
export function isQueryTimeout(error: unknown): boolean {
  if (error instanceof QueryTimeoutError) return true;
  const status = statusOf(error);
  if (status === 502 || status === 504) return true;
  return error instanceof GraphqlResponseError && error.errors?.some((e) => /timeout|timed out/i.test(e.message)) === true;
}

function timeoutCause(error: unknown): string {
  if (error instanceof QueryTimeoutError) return "no answer";
  const status = statusOf(error);
  return status ? String(status) : "timeout error";
}

/** GitHub answered GraphQL with 404: an old GitHub Enterprise or a proxy without /graphql. */
export function isGraphQLMissing(error: unknown): boolean {
  if (statusOf(error) !== 404) return false;
  const url = (error as { request?: { url?: string } }).request?.url ?? "";
  return /\/graphql$/.test(url);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
