/**
 * A server with a configuration file instead of the demo: one project (Europe/Berlin) whose
 * deployments and incidents come from a deployment-log file that the scheduler's catch-up run
 * reads at start, and a Jira source that cannot be reached, so the sources page has a
 * succeeded and a failed run. Dates are relative to today in Berlin: the retro's default
 * window (the 14 days ending yesterday) holds a known sprint.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { TZDate } from "@date-fns/tz";
import { format } from "date-fns";
import { shiftDate } from "@/lib/time/window";
import { startServer, type RunningServer } from "@/test/support/server";

export const SCRIPT_TITLE = `<script>alert("pwned")</script> checkout <b>down</b>`;

/**
 * This sprint (days 1–13 before today): a deployment a day at 10:00 UTC, the one 3 days ago
 * rolled back, and an incident 5 days ago from 11:00 to 13:00 UTC (after that day's
 * deployment). The previous sprint (days 15–28 before): deployments on days 16, 18, …, 28.
 */
function deploymentLog(): string {
  const today = format(new TZDate(Date.now(), "Europe/Berlin"), "yyyy-MM-dd");
  const at = (daysAgo: number, time: string) => `${shiftDate(today, -daysAgo)}T${time}Z`;
  const deployment = (daysAgo: number, status = "success") => ({
    type: "deployment",
    id: `chk-d-${daysAgo}`,
    service: "checkout-api",
    environment: "production",
    status,
    finished_at: at(daysAgo, "10:00:00"),
  });
  const records: object[] = [];
  for (let daysAgo = 1; daysAgo <= 13; daysAgo++) records.push(deployment(daysAgo, daysAgo === 3 ? "rolled_back" : "success"));
  for (let daysAgo = 16; daysAgo <= 28; daysAgo += 2) records.push(deployment(daysAgo));
  records.push({
    type: "incident",
    id: "chk-inc-1",
    service: "checkout-api",
    title: SCRIPT_TITLE,
    started_at: at(5, "11:00:00"),
    resolved_at: at(5, "13:00:00"),
  });
  return records.map((record) => JSON.stringify(record)).join("\n") + "\n";
}

export async function startConfiguredServer(): Promise<RunningServer & { scriptTitle: string; logs: string }> {
  const dir = mkdtempSync(join(tmpdir(), "shipshape-configured-"));
  const logs = join(dir, "deploys.jsonl");
  writeFileSync(logs, deploymentLog());
  const configPath = join(dir, "shipshape.yaml");
  writeFileSync(
    configPath,
    `timezone: UTC
projects:
  - slug: checkout
    name: Checkout
    timezone: Europe/Berlin
    services: [checkout-api]
    jira: { projects: [CHK] }
sources:
  deploy_logs:
    paths: ["${logs}"]
    schedule: "0 3 * * *"
  jira:
    base_url: http://127.0.0.1:9
    email: bot@example.com
    token: not-a-token
    schedule: "0 4 * * *"
`,
  );
  // A wall-screen setup: anonymous visitors may read (docs/accounts.md), so the tests need no account.
  const server = await startServer({ SHIPSHAPE_CONFIG: configPath, SHIPSHAPE_PUBLIC_READ: "1" }, { demo: false });
  try {
    await waitForCatchUpRuns(server.url);
  } catch (error) {
    await server.stop();
    throw error;
  }
  return {
    ...server,
    scriptTitle: SCRIPT_TITLE,
    logs,
    stop: async () => {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** At its first start the scheduler runs every source once; wait until both runs finished. */
async function waitForCatchUpRuns(url: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const { sources } = (await (await fetch(`${url}/api/sources`)).json()) as { sources: { runs: { finished_at: string | null }[] }[] };
    if (sources.length === 2 && sources.every((source) => source.runs.some((run) => run.finished_at !== null))) return;
    await new Promise((done) => setTimeout(done, 250));
  }
  throw new Error("the sources' first runs did not finish within 60 s");
}
