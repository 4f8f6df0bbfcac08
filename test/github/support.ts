/** Running the GitHub sync against the fake in tests, and reading back what it stored. */
import { sql } from "drizzle-orm";
import type { Store } from "@/db/client";
import { parseConfig } from "@/lib/config/load";
import { githubSource, type GitHubTuning } from "@/connectors/github/source";
import { runSync } from "@/lib/sync/run";
import { sourceSync } from "@/lib/sync/runner";
import { afterAll, beforeAll, beforeEach } from "vitest";
import { FakeGitHub } from "./fake-github";

export function configYaml(fake: FakeGitHub, repos: string[], extra = ""): string {
  return `projects:
  - slug: shop
    name: Shop
    github: { repos: [${repos.join(", ")}] }
sources:
  github:
    base_url: ${fake.url}
    token: test-token
${extra}`;
}

/** A local GitHub for the suite: started before it, emptied before each test, stopped after. */
export function useFakeGitHub(): FakeGitHub {
  const fake = new FakeGitHub();
  beforeAll(() => fake.start());
  afterAll(() => fake.stop());
  beforeEach(() => fake.reset());
  return fake;
}

/** `extra` for a sync through the REST API (the default is GraphQL). */
export const REST = "    api: rest\n";

/** Rate-limit waits and backoff shortened to milliseconds, GraphQL queries not spaced a second apart. */
export const TEST_TUNING: GitHubTuning = { retryAfterBaseValue: 10, graphqlSpacingMs: 0 };

/** One sync run (through GraphQL unless `extra` says `api: rest`), tuned for tests. */
export async function syncGitHub(store: Store, fake: FakeGitHub, repos: string[], extra = "", tuning: GitHubTuning = TEST_TUNING) {
  const config = parseConfig(configYaml(fake, repos, extra), "shipshape.yaml", {});
  const lines: string[] = [];
  const result = await runSync("github", sourceSync("github", githubSource(tuning)), { config, store, trigger: "manual", log: (line) => lines.push(line) });
  return { ...result, lines };
}

/** Every table the connector writes, in a stable order and without columns the database fills. */
export async function storedTables(store: Store): Promise<Record<string, unknown[]>> {
  const read = (query: string) => store.rows(sql.raw(query));
  return {
    pull_requests: await read(
      `SELECT external_id, repo, number, title, base_ref, head_ref, merged_to_default, merged_at::text, merge_commit_sha, reverts_number, labels, raw::text FROM pull_requests ORDER BY external_id`,
    ),
    pull_request_commits: await read(
      `SELECT repo, number, sha, authored_at::text, committed_at::text, message, on_default_before_merge FROM pull_request_commits ORDER BY repo, number, sha`,
    ),
    pull_request_reviews: await read(`SELECT external_id, state, submitted_at::text FROM pull_request_reviews ORDER BY external_id`),
    commits: await read(
      `SELECT external_id, parents, authored_at::text, on_default_branch, pull_number, line_position, landed_position, raw::text FROM commits ORDER BY external_id`,
    ),
    deployments: await read(`SELECT external_id, environment, status, finished_at::text, commit_sha, ref, raw::text FROM deployments ORDER BY external_id`),
    releases: await read(`SELECT external_id, tag, draft, prerelease, published_at::text FROM releases ORDER BY external_id`),
    work_items: await read(`SELECT external_id, labels, status, resolution, resolved_at::text, raw::text FROM work_items ORDER BY external_id`),
    stream_states: await read(`SELECT stream, cursor::text, etag FROM stream_states ORDER BY stream`),
  };
}
