/**
 * A local GitHub (node:http on 127.0.0.1, random port) speaking the REST API the connector
 * uses, and its GraphQL API (fake-graphql.ts) over the same in-memory git model: `Link`
 * pagination, ETags and 304s, rate-limit headers and points, and injectable faults (5xx,
 * secondary and primary rate limits, 401, 404, malformed JSON, dropped connections, answers
 * that come too late). Every request is logged with its answer (and a GraphQL query's cost).
 */
import { createHash } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { answerGraphQL, nodeId, PointBudget, readGraphQLRequest } from "./fake-graphql";
import {
  commitShape,
  deploymentShape,
  deploymentStatusShape,
  issueShape,
  pullShape,
  releaseShape,
  repositoryShape,
  reviewShape,
  workflowRunShape,
  workflowShape,
  type CommitFacts,
  type IssueFacts,
  type PullFacts,
} from "./shapes";

type Json = Record<string, unknown>;

export interface Reply {
  status: number;
  headers?: Record<string, string>;
  /** JSON-encoded unless a string; a string is sent as is (to send malformed JSON). */
  body?: unknown;
}

export interface Fault {
  /** Which requests it hits: a test on "METHOD /path?query" (GraphQL: "POST /graphql PullRequests acme/api first=50 after=-"). */
  match: (request: string) => boolean;
  /** How many matching requests it answers; the rest pass. */
  times: number;
  /** A reply, a dropped connection, or the real answer after `delayMs` (a query the client gives up on). */
  reply: Reply | "drop" | { delayMs: number };
}

export const faults = {
  serverError: (): Reply => ({ status: 502, body: { message: "Server Error" } }),
  secondaryRateLimit: (retryAfter = 1): Reply => ({
    status: 403,
    headers: { "retry-after": String(retryAfter), "x-ratelimit-remaining": "4000" },
    body: {
      message: "You have exceeded a secondary rate limit. Please wait a few minutes before you try again.",
      documentation_url: "https://docs.github.com/rest/overview/resources-in-the-rest-api#secondary-rate-limits",
    },
  }),
  primaryRateLimit: (): Reply => ({
    status: 403,
    headers: { "x-ratelimit-remaining": "0", "x-ratelimit-reset": String(Math.floor(Date.now() / 1000) + 1) },
    body: { message: "API rate limit exceeded for user ID 1.", documentation_url: "https://docs.github.com/rest/overview/resources-in-the-rest-api#rate-limiting" },
  }),
  unauthorized: (): Reply => ({ status: 401, body: { message: "Bad credentials", documentation_url: "https://docs.github.com/rest" } }),
  malformed: (): Reply => ({ status: 200, body: '[{"number": 1, "title": "trunc' }),
  /** GitHub killed a GraphQL query that ran over 10 s. */
  gatewayTimeout: (): Reply => ({ status: 504, body: "<html><body><h1>504 Gateway Time-out</h1></body></html>", headers: { "content-type": "text/html" } }),
  /** How GitHub also answers a GraphQL query it stopped: 200 with this error. */
  graphqlTimeout: (): Reply => ({
    status: 200,
    body: {
      data: null,
      errors: [{ message: "Something went wrong while executing your query. This may be the result of a timeout, or it could be a GitHub bug. Please include `C2E1:3B5F:1A2B3C:4D5E6F` when reporting this issue." }],
    },
  }),
};

let shaCounter = 0;
/** A fresh 40-hex sha. */
export function newSha(seed: string): string {
  return createHash("sha1").update(`${seed}:${++shaCounter}`).digest("hex");
}

export interface WorkflowRun {
  id: number;
  workflowId: number;
  headBranch: string | null;
  headSha: string;
  status: "queued" | "in_progress" | "completed";
  conclusion: string | null;
  runAttempt: number;
  runStartedAt: string;
  createdAt: string;
  updatedAt: string;
}

interface Deployment {
  id: number;
  sha: string;
  ref: string;
  environment: string;
  createdAt: string;
  statuses: { id: number; state: string; createdAt: string }[];
}

/** One repository: commits, branches, pull requests, deployments, releases, issues. */
export class FakeRepo {
  readonly commits = new Map<string, CommitFacts>();
  readonly branches = new Map<string, string>();
  readonly pulls = new Map<number, PullFacts & { commits: string[]; reviews: { id: number; state: string; at: string }[] }>();
  readonly deployments: Deployment[] = [];
  readonly releases: Parameters<typeof releaseShape>[1][] = [];
  readonly issues: IssueFacts[] = [];
  readonly workflows: { id: number; name: string; path: string }[] = [];
  readonly runs: WorkflowRun[] = [];
  /** The repository was deleted or the token lost access: everything answers 404. */
  gone = false;
  archived = false;
  private nextId = 1;

  constructor(
    readonly name: string,
    readonly defaultBranch = "main",
  ) {}

  /** A commit on `branch` (its head is the parent unless `parents` is given); moves the branch. */
  commit(branch: string, message: string, committedAt: string, options: { authoredAt?: string; parents?: string[] } = {}): string {
    const head = this.branches.get(branch);
    const sha = newSha(`${this.name}:${message}`);
    const parents = options.parents ?? (head ? [head] : []);
    this.commits.set(sha, { sha, message, authoredAt: options.authoredAt ?? committedAt, committedAt, parents });
    this.branches.set(branch, sha);
    return sha;
  }

  /** Opens pull request `number` from a new branch off `base`, with one commit per entry (authored at `at` unless told). */
  openPull(
    number: number,
    o: { title: string; branch: string; base?: string; at: string; commits: { message: string; at: string; authoredAt?: string }[]; labels?: string[]; body?: string },
  ) {
    const base = o.base ?? this.defaultBranch;
    const baseSha = this.branches.get(base)!;
    this.branches.set(o.branch, baseSha);
    const shas = o.commits.map((c) => this.commit(o.branch, c.message, c.at, { authoredAt: c.authoredAt }));
    this.pulls.set(number, {
      number,
      title: o.title,
      body: o.body ?? null,
      headRef: o.branch,
      headSha: shas.at(-1)!,
      baseRef: base,
      baseSha,
      labels: o.labels ?? [],
      createdAt: o.at,
      updatedAt: o.commits.at(-1)?.at ?? o.at,
      closedAt: null,
      mergedAt: null,
      mergeCommitSha: null,
      defaultBranch: this.defaultBranch,
      commits: shas,
      reviews: [],
    });
  }

  review(number: number, state: string, at: string) {
    const pull = this.pulls.get(number)!;
    pull.reviews.push({ id: this.nextId++, state, at });
    pull.updatedAt = at;
  }

  /** Merges like GitHub's three buttons; returns the merge_commit_sha GitHub reports. */
  merge(number: number, method: "merge" | "squash" | "rebase", at: string): string {
    const pull = this.pulls.get(number)!;
    const base = pull.baseRef;
    let mergeSha: string;
    if (method === "merge") {
      mergeSha = this.commit(base, `Merge pull request #${number} from acme/${pull.headRef}`, at, { parents: [this.branches.get(base)!, pull.headSha] });
    } else if (method === "squash") {
      mergeSha = this.commit(base, `${pull.title} (#${number})`, at);
    } else {
      // A rebase merge copies each commit onto the base: same author date and message, new committer date.
      for (const sha of pull.commits) {
        const original = this.commits.get(sha)!;
        this.commit(base, original.message, at, { authoredAt: original.authoredAt });
      }
      mergeSha = this.branches.get(base)!;
    }
    Object.assign(pull, { mergedAt: at, closedAt: at, updatedAt: at, mergeCommitSha: mergeSha });
    return mergeSha;
  }

  deploy(o: { sha: string; ref?: string; environment?: string; at: string; statuses?: { state: string; at: string }[] }): number {
    const id = this.nextId++;
    this.deployments.push({
      id,
      sha: o.sha,
      ref: o.ref ?? this.defaultBranch,
      environment: o.environment ?? "production",
      createdAt: o.at,
      statuses: (o.statuses ?? []).map((s) => ({ id: this.nextId++, state: s.state, createdAt: s.at })),
    });
    return id;
  }

  addStatus(deploymentId: number, state: string, at: string) {
    this.deployments.find((d) => d.id === deploymentId)!.statuses.push({ id: this.nextId++, state, createdAt: at });
  }

  release(tag: string, o: { at: string; name?: string; publishedAt?: string | null; draft?: boolean; prerelease?: boolean }) {
    this.releases.push({ id: this.nextId++, tag, name: o.name, draft: o.draft ?? false, prerelease: o.prerelease ?? false, createdAt: o.at, publishedAt: o.publishedAt === undefined ? o.at : o.publishedAt });
  }

  issue(facts: Omit<IssueFacts, "updatedAt"> & { updatedAt?: string }) {
    this.issues.push({ ...facts, updatedAt: facts.updatedAt ?? facts.closedAt ?? facts.createdAt });
  }

  workflow(name: string, file: string): number {
    const id = this.nextId++;
    this.workflows.push({ id, name, path: `.github/workflows/${file}` });
    return id;
  }

  /** A run of workflow `workflowId` (completed unless told). */
  run(workflowId: number, o: { sha: string; branch?: string | null; at: string; finishedAt?: string; status?: WorkflowRun["status"]; conclusion?: string | null }): WorkflowRun {
    const completed = (o.status ?? "completed") === "completed";
    const run: WorkflowRun = {
      id: this.nextId++,
      workflowId,
      headBranch: o.branch === undefined ? this.defaultBranch : o.branch,
      headSha: o.sha,
      status: o.status ?? "completed",
      conclusion: completed ? (o.conclusion === undefined ? "success" : o.conclusion) : null,
      runAttempt: 1,
      runStartedAt: o.at,
      createdAt: o.at,
      updatedAt: o.finishedAt ?? o.at,
    };
    this.runs.push(run);
    return run;
  }

  /** Re-runs a run: same id, the next attempt, running until `finish` is called on it. */
  rerun(run: WorkflowRun, at: string) {
    Object.assign(run, { runAttempt: run.runAttempt + 1, status: "in_progress", conclusion: null, runStartedAt: at, updatedAt: at });
  }

  finish(run: WorkflowRun, conclusion: string, at: string) {
    Object.assign(run, { status: "completed", conclusion, updatedAt: at });
  }

  /** The commits reachable from `sha`. */
  ancestors(sha: string): Set<string> {
    const seen = new Set<string>();
    const queue = [sha];
    while (queue.length) {
      const next = queue.pop()!;
      if (seen.has(next) || !this.commits.has(next)) continue;
      seen.add(next);
      queue.push(...this.commits.get(next)!.parents);
    }
    return seen;
  }

  /** Like `git log`: newest commit date first. */
  history(ref: string): CommitFacts[] {
    const head = this.branches.get(ref) ?? ref;
    return [...this.ancestors(head)].map((sha) => this.commits.get(sha)!).sort((a, b) => Date.parse(b.committedAt) - Date.parse(a.committedAt) || b.sha.localeCompare(a.sha));
  }
}

export interface LoggedRequest {
  request: string;
  status: number;
  /** A GraphQL query's cost in points. */
  cost?: number;
}

export class FakeGitHub {
  readonly repos = new Map<string, FakeRepo>();
  readonly log: LoggedRequest[] = [];
  readonly faults: Fault[] = [];
  /** Routes answered by the test itself (e.g. recorded responses), by pathname. */
  readonly overrides = new Map<string, (url: URL) => Reply>();
  /** Called before each request is answered, with how many came before it (the kill test stops the client here). */
  onRequest?: (count: number) => Promise<void> | void;
  /** GraphQL points left and their reset. */
  readonly points = new PointBudget();
  /** Owners that are users, not organisations: GET /orgs/{owner}/repos answers 404 for them. */
  readonly users = new Set<string>();
  /** No GraphQL here (an old GitHub Enterprise, a proxy): POST /graphql answers 404. */
  graphqlDisabled = false;
  url = "";
  private server?: Server;
  private rateRemaining = 5000;

  repo(name: string, defaultBranch = "main"): FakeRepo {
    const repo = new FakeRepo(name, defaultBranch);
    this.repos.set(name, repo);
    return repo;
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise((resolve) => this.server?.close(resolve));
  }

  /** Back to no repos, no log, no faults (between the tests of a suite). */
  reset(): void {
    this.repos.clear();
    this.users.clear();
    this.log.length = 0;
    this.faults.length = 0;
    this.overrides.clear();
    this.graphqlDisabled = false;
  }

  /** Requests whose line matches, e.g. requests(/\/pulls\?/). */
  requests(pattern?: RegExp): LoggedRequest[] {
    return pattern ? this.log.filter((entry) => pattern.test(entry.request)) : this.log;
  }

  /** Points spent on GraphQL queries (logged requests since `from`). */
  pointsSpent(from = 0): number {
    return this.log.slice(from).reduce((sum, entry) => sum + (entry.cost ?? 0), 0);
  }

  private async handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url!, this.url);
    const graphqlPath = req.method === "POST" && /^(\/api)?\/graphql$/.test(url.pathname);
    const graphql = graphqlPath ? readGraphQLRequest(await readBody(req)) : undefined;
    const line = graphql ? `POST ${url.pathname} ${graphql.describe}` : `${req.method} ${url.pathname}${url.search}`;
    await this.onRequest?.(this.log.length);
    const fault = this.faults.find((f) => f.times > 0 && f.match(line));
    if (fault) fault.times--;
    if (fault?.reply === "drop") {
      this.log.push({ request: line, status: 0 });
      req.socket.destroy();
      return;
    }
    let reply: Reply;
    let cost: number | undefined;
    if (fault && "delayMs" in fault.reply) await new Promise((resolve) => setTimeout(resolve, (fault.reply as { delayMs: number }).delayMs));
    if (fault && !("delayMs" in fault.reply)) reply = fault.reply as Reply;
    else if (graphql && this.graphqlDisabled) reply = notFound();
    else if (graphql) {
      const answer = answerGraphQL({ repos: this.repos, budget: this.points }, graphql);
      [reply, cost] = [{ status: answer.status, body: answer.body }, answer.cost];
    } else reply = this.route(url);
    const limits = graphql
      ? { limit: this.points.limit, remaining: this.points.remaining, reset: Math.floor(this.points.resetAt / 1000), resource: "graphql" }
      : { limit: 5000, remaining: this.rateRemaining, reset: Math.floor(Date.now() / 1000) + 3600, resource: "core" };
    const headers: Record<string, string> = {
      "content-type": "application/json; charset=utf-8",
      "x-ratelimit-limit": String(limits.limit),
      "x-ratelimit-remaining": String(limits.remaining),
      "x-ratelimit-reset": String(limits.reset),
      "x-ratelimit-used": String(limits.limit - limits.remaining),
      "x-ratelimit-resource": limits.resource,
      "x-github-media-type": "github.v3; format=json",
      ...reply.headers,
    };
    const body = reply.body === undefined ? "" : typeof reply.body === "string" ? reply.body : JSON.stringify(reply.body);
    let status = reply.status;
    if (status === 200 && (!fault || "delayMs" in fault.reply) && !graphql) {
      headers.etag = `W/"${createHash("sha256").update(body).digest("hex").slice(0, 32)}"`;
      if (req.headers["if-none-match"] === headers.etag) status = 304;
    }
    // Conditional requests answered 304 do not count against the rate limit; GraphQL counts points.
    if (status !== 304 && !graphql) this.rateRemaining--;
    this.log.push({ request: line, status, ...(cost !== undefined && { cost }) });
    if (res.destroyed) return;
    res.writeHead(status, headers);
    res.end(status === 304 ? undefined : body);
  }

  private route(url: URL): Reply {
    const override = this.overrides.get(url.pathname);
    if (override) return override(url);
    const owner = /^\/(orgs|users)\/([^/]+)\/repos$/.exec(url.pathname);
    if (owner) {
      const owned = [...this.repos.values()].filter((r) => r.name.split("/")[0] === owner[2]).sort((a, b) => a.name.localeCompare(b.name));
      if (owned.length === 0 || (owner[1] === "orgs" && this.users.has(owner[2]!))) return notFound();
      return this.page(url, owned, (r) => ({ ...repositoryShape(r.name, r.defaultBranch), archived: r.archived }));
    }
    const match = /^\/repos\/([^/]+\/[^/]+)(\/.*)?$/.exec(url.pathname);
    const repo = match && this.repos.get(match[1]!);
    if (!repo || repo.gone) return notFound();
    const name = repo.name;
    const rest = match[2] ?? "";
    const q = url.searchParams;
    let m: RegExpExecArray | null;
    if (rest === "") return ok(repositoryShape(name, repo.defaultBranch));
    if (rest === "/pulls") {
      return this.page(url, [...repo.pulls.values()].sort(byUpdatedDesc), (p) => pullShape(name, p));
    }
    if ((m = /^\/pulls\/(\d+)\/(commits|reviews)$/.exec(rest))) {
      const pull = repo.pulls.get(Number(m[1]));
      if (!pull) return notFound();
      if (m[2] === "commits") return this.page(url, pull.commits, (sha) => commitShape(name, repo.commits.get(sha)!));
      return this.page(url, pull.reviews, (r) => reviewShape(name, pull.number, r.id, r.state, r.at, pull.headSha));
    }
    if (rest === "/commits") {
      const ref = q.get("sha") ?? repo.defaultBranch;
      if (!repo.branches.has(ref)) return repo.branches.size ? notFound() : { status: 409, body: { message: "Git Repository is empty." } };
      const since = q.get("since");
      const history = repo.history(ref).filter((c) => !since || Date.parse(c.committedAt) >= Date.parse(since));
      return this.page(url, history, (c) => commitShape(name, c));
    }
    if ((m = /^\/compare\/([0-9a-f]+)\.\.\.([0-9a-f]+)$/.exec(rest))) {
      const [base, head] = [m[1]!, m[2]!];
      if (!repo.commits.has(base) || !repo.commits.has(head)) return notFound();
      const [fromBase, fromHead] = [repo.ancestors(base), repo.ancestors(head)];
      const ahead = [...fromHead].filter((sha) => !fromBase.has(sha)).map((sha) => repo.commits.get(sha)!);
      const behind = [...fromBase].filter((sha) => !fromHead.has(sha));
      ahead.sort((a, b) => Date.parse(a.committedAt) - Date.parse(b.committedAt));
      const status = ahead.length === 0 ? (behind.length === 0 ? "identical" : "behind") : behind.length === 0 ? "ahead" : "diverged";
      const perPage = Number(q.get("per_page") ?? 250);
      const page = Number(q.get("page") ?? 1);
      return ok({
        url: `https://api.github.com/repos/${name}/compare/${base}...${head}`,
        status,
        ahead_by: ahead.length,
        behind_by: behind.length,
        total_commits: ahead.length,
        commits: ahead.slice((page - 1) * perPage, page * perPage).map((c) => commitShape(name, c)),
        files: [],
      });
    }
    if (rest === "/deployments") {
      return this.page(url, [...repo.deployments].sort((a, b) => b.id - a.id), (d) => ({ ...deploymentShape(name, d), node_id: nodeId("Deployment", name, d.id) }));
    }
    if ((m = /^\/deployments\/(\d+)\/statuses$/.exec(rest))) {
      const deployment = repo.deployments.find((d) => d.id === Number(m![1]));
      if (!deployment) return notFound();
      return this.page(url, [...deployment.statuses].reverse(), (s) => deploymentStatusShape(name, deployment.id, { ...s, environment: deployment.environment }));
    }
    if (rest === "/actions/workflows") {
      return this.page(url, repo.workflows, (w) => workflowShape(name, w), "workflows");
    }
    if ((m = /^\/actions\/workflows\/([^/]+)\/runs$/.exec(rest))) {
      const key = decodeURIComponent(m[1]!);
      const workflow = repo.workflows.find((w) => String(w.id) === key || w.path.endsWith(`/${key}`));
      if (!workflow) return notFound();
      const created = q.get("created");
      const runs = repo.runs.filter((r) => r.workflowId === workflow.id && inCreatedRange(r.createdAt, created)).sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt) || b.id - a.id);
      // GitHub lists at most 1,000 runs of a listing filtered by created (total_count still says how many there are).
      const listed = created ? runs.slice(0, 1000) : runs;
      return this.page(url, listed, (r) => workflowRunShape(name, workflow, r), "workflow_runs", runs.length);
    }
    if (rest === "/releases") {
      return this.page(url, [...repo.releases].sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt) || b.id - a.id), (r) => releaseShape(name, r));
    }
    if (rest === "/issues") {
      const since = q.get("since");
      const pullsAsIssues: IssueFacts[] = [...repo.pulls.values()].map((p) => ({
        number: p.number,
        title: p.title,
        labels: p.labels,
        createdAt: p.createdAt,
        updatedAt: p.updatedAt,
        closedAt: p.closedAt,
        stateReason: null,
        pullRequest: true,
      }));
      const issues = [...repo.issues, ...pullsAsIssues].filter((i) => !since || Date.parse(i.updatedAt) >= Date.parse(since)).sort(byUpdatedDesc);
      return this.page(url, issues, (i) => issueShape(name, i));
    }
    return notFound();
  }

  /**
   * One page of `items` by ?page&per_page, each shaped as GitHub sends it, with GitHub's Link
   * header; `wrap` names the key of a listing GitHub sends as `{total_count, <wrap>: [...]}`.
   */
  private page<T>(url: URL, items: T[], shape: (item: T) => unknown, wrap?: string, totalCount = items.length): Reply {
    const perPage = Math.min(Number(url.searchParams.get("per_page") ?? 30), 100);
    const page = Number(url.searchParams.get("page") ?? 1);
    const last = Math.max(1, Math.ceil(items.length / perPage));
    const at = (n: number) => {
      const target = new URL(url);
      target.searchParams.set("page", String(n));
      return `<${this.url}${target.pathname}${target.search}>`;
    };
    const links = [
      ...(page < last ? [`${at(page + 1)}; rel="next"`, `${at(last)}; rel="last"`] : []),
      ...(page > 1 ? [`${at(1)}; rel="first"`, `${at(page - 1)}; rel="prev"`] : []),
    ];
    const body = items.slice((page - 1) * perPage, page * perPage).map(shape);
    return { status: 200, headers: links.length ? { link: links.join(", ") } : {}, body: wrap ? { total_count: totalCount, [wrap]: body } : body };
  }
}

function byUpdatedDesc(a: { updatedAt: string; number: number }, b: { updatedAt: string; number: number }) {
  return Date.parse(b.updatedAt) - Date.parse(a.updatedAt) || b.number - a.number;
}

/** GitHub's `created` filter: `>=T`, `<=T`, `A..B` (inclusive), or a date. */
function inCreatedRange(createdAt: string, filter: string | null): boolean {
  if (!filter) return true;
  const at = Date.parse(createdAt);
  if (filter.startsWith(">=")) return at >= Date.parse(filter.slice(2));
  if (filter.startsWith("<=")) return at <= Date.parse(filter.slice(2));
  const [from, to] = filter.split("..");
  if (to !== undefined) return (from === "*" || at >= Date.parse(from!)) && (to === "*" || at <= Date.parse(to));
  return createdAt.startsWith(filter);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

function ok(body: Json): Reply {
  return { status: 200, body };
}

function notFound(): Reply {
  return { status: 404, body: { message: "Not Found", documentation_url: "https://docs.github.com/rest" } };
}
