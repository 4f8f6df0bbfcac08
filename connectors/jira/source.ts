/**
 * The `jira` source (docs/jira.md): every project key of every configured project is a
 * partition, read by the issues stream and then the reconcile scan (streams.ts), then its
 * boards and their sprints (sprints.ts). Refused
 * credentials stop the whole source; any other failure stops that project only.
 */
import { tzOffset } from "@date-fns/tz";
import type { Source, SourceFailure } from "@/connectors/stream";
import { JiraReader, JiraRequestError, type JiraConnection } from "./client";
import { JIRA_SOURCE } from "./records";
import { boardsStream, sprintsStream } from "./sprints";
import { issuesStream, reconcileStream, type JiraSession, type JiraSettings } from "./streams";

export type { JiraSettings };

/** What the connector reads of a project. */
export interface JiraProject {
  jira?: { projects: string[] };
}

/** The source; `tuning` shortens retries and backoff in tests. */
export function jiraSource(tuning: Pick<JiraConnection, "backoffMs" | "retries"> = {}): Source<string, JiraSession, JiraSettings, JiraProject> {
  return {
    title: "Jira",
    records: JIRA_SOURCE,
    origin: (settings) => settings.base_url,
    async open({ settings, log, requests }) {
      const reader = new JiraReader({
        baseUrl: settings.base_url,
        email: settings.email,
        token: settings.token,
        apiVersion: settings.api_version,
        log,
        countRequest: requests.add,
        ...tuning,
      });
      const zone = await reader.timeZone();
      // tzOffset is NaN for a zone this system does not know.
      if (Number.isNaN(tzOffset(zone, new Date()))) throw new Error(`Jira's /myself gives the time zone "${zone}", which is not an IANA zone this system knows`);
      const filter = { issueTypes: Object.values(settings.issue_types).flat(), labels: Object.values(settings.labels).flat() };
      return { reader, settings, zone, filter };
    },
    // Every project key of every configured project, once.
    partitions: async ({ projects }) => [...new Set(projects.flatMap((project) => project.jira?.projects ?? []))],
    key: (projectKey) => projectKey,
    streams: [issuesStream, reconcileStream, boardsStream, sprintsStream],
    describeFailure,
  };
}

function describeFailure(error: unknown): SourceFailure {
  if (!(error instanceof JiraRequestError)) return { message: error instanceof Error ? error.message : String(error) };
  if (error.failure !== "auth") return { message: error.message };
  return {
    message: `${error.message}; check sources.jira.email and sources.jira.token (an API token for Jira Cloud, a personal access token without email for Server / Data Center)`,
    stopsSource: true,
  };
}
