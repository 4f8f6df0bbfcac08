/**
 * The sources Shipshape syncs, by the name used in the config, `shipshape sync --source` and
 * sync_runs. Each connector adds its entry here.
 */
import { deployLogsSync } from "./deploy-logs";
import { githubSync } from "./github";
import { jiraSync } from "./jira";
import type { SourceName, SourceSync } from "./run";

export const sources: Partial<Record<SourceName, SourceSync>> = {
  github: githubSync(),
  jira: jiraSync(),
  deploy_logs: deployLogsSync(),
};
