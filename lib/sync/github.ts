/**
 * `shipshape sync --source github`: every configured repo, one after the other, each stream in
 * turn (docs/github.md). A repo that fails stops with one error line and the next repo goes
 * on; a stream's state is saved only after all its records are stored.
 */
import { describeFailure, GitHubClient, type ClientOptions } from "@/connectors/github/client";
import {
  readRepository,
  syncCommits,
  syncDeployments,
  syncIssues,
  syncPulls,
  syncReleases,
  type RepoScope,
  type StreamState,
} from "@/connectors/github/streams";
import { upsertRecords } from "@/db/upsert";
import { releases, workItems } from "@/db/schema";
import type { Config } from "@/lib/config/load";
import type { SourceSync, SyncContext } from "./run";
import { linkRepo, loadStates, markDefaultBranch, saveState, storeCommits, storeDeployments, storePulls } from "./github-store";

/** Every repo of every project, once, in the order the configuration names them. */
export function configuredRepos(config: Config): string[] {
  return [...new Set(config.projects.flatMap((project) => project.github?.repos ?? []))];
}

export function githubSync(clientOptions: Pick<ClientOptions, "retryAfterBaseValue"> = {}): SourceSync {
  return async (context) => {
    const source = context.config.sources.github;
    if (!source) throw new Error("sources.github is not configured");
    const repos = configuredRepos(context.config).filter((repo) => !context.only || context.only.includes(repo));
    const client = new GitHubClient({ baseUrl: source.base_url, token: source.token, log: context.log, ...clientOptions });
    const states = await loadStates(context.store);
    const records: Record<string, number> = {};
    const errors: string[] = [];
    const since = source.since ? `${source.since}T00:00:00Z` : null;
    for (const repo of repos) {
      const before = client.requests;
      try {
        await syncRepo({ client, repo, since }, context, states, records);
        context.log(`${repo}: synced (${client.requests - before} requests)`);
      } catch (error) {
        errors.push(`${repo}: ${describeFailure(error)}`);
      }
    }
    return { records, requests: client.requests, errors, parts: repos.length };
  };
}

async function syncRepo(scope: RepoScope, { store }: SyncContext, states: Map<string, StreamState>, records: Record<string, number>) {
  const { repo } = scope;
  const count = (stream: string, n: number) => {
    if (n > 0) records[`${repo}:${stream}`] = (records[`${repo}:${stream}`] ?? 0) + n;
  };
  const run = async (stream: string, read: (previous: StreamState | undefined) => Promise<StreamState | null>) => {
    const key = `${repo}:${stream}`;
    const next = await read(states.get(key));
    if (next) await saveState(store, key, next);
  };

  let defaultBranch = "";
  await run("repo", async (previous) => {
    const repository = await readRepository(scope, previous);
    defaultBranch = repository.defaultBranch;
    return repository.state;
  });
  try {
    await run("pulls", (previous) =>
      syncPulls(scope, defaultBranch, previous, async (batch) => {
        await storePulls(store, batch);
        count("pulls", batch.pulls.length);
      }),
    );
    await run("commits", (previous) =>
      syncCommits(scope, defaultBranch, previous, {
        commits: async (list) => {
          await storeCommits(store, list);
          count("commits", list.length);
        },
        history: (shas) => markDefaultBranch(store, repo, shas, scope.since),
      }),
    );
    await run("deployments", (previous) =>
      syncDeployments(scope, previous, async (list, withdrawn) => {
        await storeDeployments(store, list, withdrawn);
        count("deployments", list.length);
      }),
    );
    await run("releases", (previous) =>
      syncReleases(scope, previous, async (list) => {
        await upsertRecords(store, releases, list);
        count("releases", list.length);
      }),
    );
    await run("issues", (previous) =>
      syncIssues(scope, previous, async (list) => {
        await upsertRecords(store, workItems, list);
        count("issues", list.length);
      }),
    );
  } finally {
    // Whatever was stored, also by streams before a failing one, gets its links.
    await linkRepo(store, repo);
  }
}
