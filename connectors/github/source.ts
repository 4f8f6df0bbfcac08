/**
 * The `github` source (docs/github.md): every configured repo is a partition, read stream by
 * stream (streams.ts); after a repo's streams the enrichers link what was stored.
 */
import type { Source } from "@/connectors/stream";
import { describeFailure, GitHubClient, type ClientOptions } from "./client";
import { enrichRepo } from "./enrichers";
import { SOURCE } from "./records";
import { repoStreams, type GitHubSession } from "./streams";

/** What the connector reads of `sources.github`. */
export interface GitHubSettings {
  base_url: string;
  token: string;
  since?: string;
}

/** What it reads of a project. */
export interface GitHubProject {
  github?: { repos: string[] };
}

/** Every repo of every project, once, in the order the configuration names them. */
export function configuredRepos(projects: GitHubProject[]): string[] {
  return [...new Set(projects.flatMap((project) => project.github?.repos ?? []))];
}

/** The source; `tuning` shortens rate-limit waits and backoff in tests. */
export function githubSource(tuning: Pick<ClientOptions, "retryAfterBaseValue"> = {}): Source<string, GitHubSession, GitHubSettings, GitHubProject> {
  return {
    title: "GitHub",
    records: SOURCE,
    origin: (settings) => settings.base_url,
    async open({ settings, log, requests }) {
      const client = new GitHubClient({ baseUrl: settings.base_url, token: settings.token, log, countRequest: requests.add, ...tuning });
      return { client, since: settings.since ? `${settings.since}T00:00:00Z` : null };
    },
    partitions: async ({ projects }) => configuredRepos(projects),
    key: (repo) => repo,
    streams: repoStreams,
    afterPartition: (store, repo) => enrichRepo(store, repo),
    describeFailure: (error) => ({ message: describeFailure(error) }),
  };
}
