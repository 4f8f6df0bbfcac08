/**
 * Deployments from GitHub Actions (docs/github.md, "Deployments from GitHub Actions"): the runs
 * of the workflows `sources.github.workflows` (or a project's own `github.workflows`) names
 * become deployment records. REST only — GraphQL has no Actions API.
 *
 * Per deploy workflow (by its file name: `/actions/workflows/{file}/runs`), the runs created
 * since the cursor are listed newest first. The cursor keeps, per workflow, where the next
 * listing starts — the newest run's creation less RERUN_DAYS — so runs still running and
 * re-runs (same run, higher `run_attempt`, same creation time) are read again until they settle. The first page of each
 * listing is conditional (its ETag is in the cursor): an unchanged re-sync costs one request per
 * workflow, answered 304. GitHub returns at most 1,000 runs of a listing filtered by `created`;
 * a fuller range is split in two until each half fits.
 */
import picomatch from "picomatch";
import { z } from "zod";
import { UNCHANGED, upsert } from "@/connectors/stream";
import { deployments } from "@/db/schema";
import { statusOf, type GitHubClient } from "./client";
import { workflowRunsPayload, workflowsPayload, type WorkflowPayload, type WorkflowRunPayload } from "./payloads";
import { workflowRunRecord } from "./records";
import { route, type RepoStream } from "./streams";

/** One entry of `workflows:` (lib/config/schema.ts checks exactly one of file/name and of environment/branches). */
export interface DeployWorkflow {
  file?: string;
  name?: string;
  environment?: string;
  branches?: Record<string, string>;
}

/** A run created this long before the newest one is listed again: a re-run comes back to it. */
export const RERUN_DAYS = 7;
/** GitHub's cap on a listing filtered by `created`. */
export const FILTERED_LISTING_CAP = 1000;
const PAGE = 100;
/** The listing without a lower bound starts here (before GitHub Actions existed). */
const BEGINNING = "2018-01-01T00:00:00Z";

const basename = (path: string) => path.slice(path.lastIndexOf("/") + 1);
/** An instant as GitHub's `created` filter takes it, to the second. */
const second = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");

/** The environment a run of `workflow` deploys to under `rules` (the first rule naming the workflow decides), or null: no deployment. */
export function runEnvironment(rules: DeployWorkflow[], workflow: { name: string; path: string }, branch: string | null): string | null {
  const rule = rules.find((r) => (r.file !== undefined ? r.file === basename(workflow.path) || r.file === workflow.path : picomatch.isMatch(workflow.name, r.name!)));
  if (!rule) return null;
  if (rule.environment !== undefined) return rule.environment;
  if (branch === null) return null;
  const mapped = Object.entries(rule.branches ?? {}).find(([glob]) => picomatch.isMatch(branch, glob));
  return mapped ? mapped[1] : null;
}

const workflowCursor = z.object({ since: z.string().nullable(), etag: z.string().nullable() });
const runsCursor = z.object({ workflows: z.record(z.string(), workflowCursor) });
type WorkflowCursor = z.infer<typeof workflowCursor>;

export const workflowRunsStream: RepoStream<z.infer<typeof runsCursor>> = {
  name: "workflow_runs",
  cursor: runsCursor,
  async read({ partition: repo, session, state, emit, log }) {
    const rules = session.workflows(repo);
    if (rules.length === 0) return UNCHANGED;
    const workflows = await deployWorkflows(session.client, repo, rules);
    const cursor = state?.cursor ?? { workflows: {} };
    const next: Record<string, WorkflowCursor> = {};
    for (const workflow of workflows) {
      const file = basename(workflow.path);
      const saved = cursor.workflows[file] ?? { since: session.since, etag: null };
      const store = async (runs: WorkflowRunPayload[]) => {
        // A re-run still running, or cancelled, leaves the record of the attempt before it as it is:
        // that attempt's outcome is what production saw. A re-run that completes replaces it.
        const records = runs.flatMap((run) => workflowRunRecord(repo, run, runEnvironment(rules, { name: run.name ?? workflow.name, path: run.path || workflow.path }, run.head_branch)) ?? []);
        await emit([upsert(deployments, records, { key: `${repo}:workflow_runs` })]);
      };
      next[file] = await readRuns(session.client, repo, file, saved, store, log);
    }
    return { cursor: { workflows: next }, etag: null };
  },
};

/** The repo's workflows the rules name; the workflow list is asked only when a rule is a name glob. */
async function deployWorkflows(client: GitHubClient, repo: string, rules: DeployWorkflow[]): Promise<Pick<WorkflowPayload, "name" | "path">[]> {
  const byFile = rules.filter((r) => r.file !== undefined).map((r) => ({ name: r.file!, path: r.file! }));
  const globs = rules.filter((r) => r.name !== undefined).map((r) => r.name!);
  const named: Pick<WorkflowPayload, "name" | "path">[] = [];
  if (globs.length) {
    const listing = await client.list("/repos/{owner}/{repo}/actions/workflows", { ...route(repo), per_page: PAGE }, workflowsPayload.shape.workflows.element);
    if (listing) for await (const page of listing.pages) named.push(...page.filter((w) => globs.some((glob) => picomatch.isMatch(w.name, glob))));
  }
  const seen = new Set<string>();
  return [...byFile, ...named].filter((w) => !seen.has(basename(w.path)) && seen.add(basename(w.path)));
}

/**
 * Reads the runs of one workflow created since `saved.since`; returns the workflow's next
 * cursor. The first page is conditional on the saved ETag: 304, nothing new.
 */
async function readRuns(
  client: GitHubClient,
  repo: string,
  file: string,
  saved: WorkflowCursor,
  store: (runs: WorkflowRunPayload[]) => Promise<void>,
  log: (line: string) => void,
): Promise<WorkflowCursor> {
  const url = "/repos/{owner}/{repo}/actions/workflows/{workflow_id}/runs";
  const params = (created: string | null, page: number) => ({ ...route(repo), workflow_id: file, per_page: PAGE, page, ...(created && { created }) });
  const seen: WorkflowRunPayload[] = [];
  const keep = async (runs: WorkflowRunPayload[]) => {
    seen.push(...runs);
    if (runs.length) await store(runs);
  };

  /** Every run created in [from, to] (to null: up to now), split while GitHub would cut it at 1,000. */
  async function range(from: string | null, to: string | null, etag: string | null): Promise<string | null | undefined> {
    const created = from === null && to === null ? null : to === null ? `>=${from}` : `${from ?? BEGINNING}..${to}`;
    let first;
    try {
      first = await client.get(url, params(created, 1), workflowRunsPayload, etag);
    } catch (error) {
      // A rule of the source names a workflow file this repo does not have: no deployments here.
      if (statusOf(error) === 404) return undefined;
      throw error;
    }
    if (!first) return undefined;
    if (created !== null && first.data.total_count > FILTERED_LISTING_CAP) {
      const start = Date.parse(from ?? BEGINNING);
      const end = to === null ? Date.now() : Date.parse(to);
      if (end - start >= 2000) {
        // Both ends of a range are inclusive: the halves meet at `middle` and the second after it.
        const middle = start + Math.floor((end - start) / 2000) * 1000;
        await range(from ?? BEGINNING, second(middle), null);
        await range(second(middle + 1000), to ?? second(end), null);
        return first.etag;
      }
      log(`${repo}: more than ${FILTERED_LISTING_CAP} runs of ${file} created within one second; GitHub lists only ${FILTERED_LISTING_CAP} of them`);
    }
    await keep(first.data.workflow_runs);
    const pages = Math.ceil(Math.min(first.data.total_count, created === null ? Infinity : FILTERED_LISTING_CAP) / PAGE);
    for (let page = 2; page <= pages; page++) {
      const more = await client.get(url, params(created, page), workflowRunsPayload);
      if (!more || more.data.workflow_runs.length === 0) break;
      await keep(more.data.workflow_runs);
    }
    return first.etag;
  }

  const etag = await range(saved.since, null, saved.etag);
  if (etag === undefined) return saved;
  const since = nextSince(seen, saved.since);
  // The ETag answers the listing from saved.since: from another start it is another listing.
  return { since, etag: since === saved.since ? etag : null };
}

/**
 * Where the next listing starts: RERUN_DAYS before the newest run, so a run still in progress
 * or re-run within that week is read again (never earlier than the last start).
 */
function nextSince(runs: WorkflowRunPayload[], previous: string | null): string | null {
  const newest = Math.max(...runs.map((run) => Date.parse(run.created_at)));
  if (!Number.isFinite(newest)) return previous;
  const since = Math.max(newest - RERUN_DAYS * 86_400_000, previous ? Date.parse(previous) : -Infinity);
  return second(since);
}
