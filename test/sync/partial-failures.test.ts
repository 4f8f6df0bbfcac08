/**
 * One bad item never sinks a source (issue 14, item 2): a record the database refuses — for
 * real, by a trigger this test installs or a value out of its column's range — fails that
 * part of the source (a Jira project, a GitHub repo, a deployment-log file) with one line
 * naming the part, the record and the reason, and the run goes on with the others and ends
 * partial. What was stored and requested is counted, also in the failed part; the failed
 * part's state stays where it was, so a run after the cause is gone stores the rest.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { asc, sql } from "drizzle-orm";
import { afterEach, beforeEach, expect, it } from "vitest";
import { deployLogsSource } from "@/connectors/deploy-log/source";
import { jiraSource } from "@/connectors/jira/source";
import { streamStates, syncRuns, workItems } from "@/db/schema";
import { parseConfig } from "@/lib/config/load";
import { runSync } from "@/lib/sync/run";
import { sourceSync } from "@/lib/sync/runner";
import { cliSandbox } from "@/test/support/cli";
import { refuse } from "@/test/support/refuse";
import { describeEachDriver } from "@/test/support/db";
import { FakeJira } from "@/test/support/jira-server";
import { FakeGitHub } from "@/test/github/fake-github";
import { REST, syncGitHub } from "@/test/github/support";
import { jiraConfig, seed } from "@/test/jira/fixtures";

const deployment = (id: string) => JSON.stringify({ type: "deployment", id, service: "api", environment: "production", status: "success", finished_at: "2026-03-01T10:00:00Z" });

/** Two deployment-log files: a.jsonl with d1, d2, d3 and b.jsonl with e1. */
function deployLogFiles() {
  const dir = mkdtempSync(join(tmpdir(), "shipshape-partial-"));
  mkdirSync(join(dir, "logs"));
  const a = join(dir, "logs", "a.jsonl");
  const b = join(dir, "logs", "b.jsonl");
  writeFileSync(a, `${deployment("d1")}\n${deployment("d2")}\n${deployment("d3")}\n`);
  writeFileSync(b, `${deployment("e1")}\n`);
  const yaml = `sources:\n  deploy_logs:\n    paths: [logs/*.jsonl]\n`;
  const configPath = join(dir, "shipshape.yaml");
  writeFileSync(configPath, yaml);
  return { dir, a, b, yaml, configPath, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

describeEachDriver("a record the database refuses", (store, driver) => {
  let jira: FakeJira;
  beforeEach(async () => {
    jira = await new FakeJira().start();
    seed(jira);
  });
  afterEach(() => jira.close());

  it("fails its Jira project only: the other project is stored, the run is partial and says which issue and why", async () => {
    const undo = await refuse(store(), "work_items", "10003");
    const sync = () => runSync("jira", sourceSync("jira", jiraSource({ backoffMs: 5, retries: 1 })), { config: jiraConfig(jira.url), store: store(), trigger: "manual", log: () => {} });
    let result;
    try {
      result = await sync();
    } finally {
      await undo();
    }
    expect(result.status).toBe("partial");
    expect(result.errors).toEqual(["FRD: the database refused work_items 10003: refused by the test (10003)"]);
    // FRD's first page (oldest update first) is FRD-5 and FRD-3: FRD-5 and its 2 transitions are stored, FRD-3 is refused
    // and FRD stops there. OPS: both issues.
    expect(result.records).toEqual({ "FRD:issues": 1, "FRD:transitions": 2, "OPS:issues": 2 });
    // /myself, FRD's first page, OPS's search, its reconcile scan and its board list (no boards here).
    expect(result.requests).toBe(5);
    expect(result.requests).toBe(jira.requests.length);
    const keys = await store().db.select({ key: workItems.key }).from(workItems).orderBy(asc(workItems.key));
    expect(keys.map((row) => row.key)).toEqual(["FRD-5", "OPS-1", "OPS-2"]);
    // FRD's cursor did not move: the refused page is read again next time.
    const cursors = await store().db.select({ stream: streamStates.stream }).from(streamStates);
    expect(cursors.map((row) => row.stream).sort()).toEqual(["OPS:boards", "OPS:issues"]);
    const [run] = await store().db.select().from(syncRuns);
    expect(run).toMatchObject({ status: "partial", error: result.errors[0], records: result.records, requests: 5 });

    // The cause gone, the next run stores the rest.
    const again = await sync();
    expect(again.status).toBe("succeeded");
    const all = await store().db.select({ key: workItems.key }).from(workItems).orderBy(asc(workItems.key));
    expect(all.map((row) => row.key)).toEqual(["FRD-1", "FRD-2", "FRD-3", "FRD-5", "OPS-1", "OPS-2"]);
  });

  it("fails its GitHub repo only, naming the pull request and the column's range", async () => {
    const fake = await new FakeGitHub().start();
    try {
      const api = fake.repo("acme/api");
      api.commit("main", "Initial commit", "2026-03-01T09:00:00Z");
      api.openPull(1, { title: "Add A", branch: "a", at: "2026-03-01T10:00:00Z", commits: [{ message: "A", at: "2026-03-01T10:00:00Z" }] });
      api.merge(1, "squash", "2026-03-01T11:00:00Z");
      // A number beyond PostgreSQL's integer: pull_requests.number cannot hold it.
      api.openPull(2 ** 31, { title: "Huge", branch: "huge", at: "2026-03-01T12:00:00Z", commits: [{ message: "H", at: "2026-03-01T12:00:00Z" }] });
      fake.repo("acme/web").commit("main", "Hello", "2026-03-01T09:00:00Z");

      // Through REST: GitHub's GraphQL schema has a pull request's number as a 32-bit Int, so there it cannot come this large.
      const run = await syncGitHub(store(), fake, ["acme/api", "acme/web"], REST);

      expect(run.status).toBe("partial");
      expect(run.errors).toHaveLength(1);
      expect(run.errors[0]).toMatch(/^acme\/api: the database refused pull_requests acme\/api#2147483648: value "2147483648" is out of range for type integer$/);
      // The page's other pull request is stored and counted; acme/web is whole.
      expect(run.records).toEqual({ "acme/api:pulls": 1, "acme/web:commits": 1 });
      expect(run.requests).toBe(fake.log.length);
      expect(await store().rows(sql`SELECT external_id FROM pull_requests`)).toEqual([{ external_id: "acme/api#1" }]);
      expect(await store().rows(sql`SELECT count(*)::int AS n FROM pull_request_commits`)).toEqual([{ n: 1 }]);
      const states = await store().rows<{ stream: string }>(sql`SELECT stream FROM stream_states ORDER BY stream`);
      expect(states.map((row) => row.stream)).toEqual(["acme/api:repo", ...["commits", "deployments", "issues", "pulls", "releases", "repo"].map((s) => `acme/web:${s}`)]);
    } finally {
      await fake.stop();
    }
  });

  it("fails its deployment-log file only, after the chunks before it were stored; the next run reads on from there", async () => {
    const files = deployLogFiles();
    const config = parseConfig(files.yaml, files.configPath, {});
    // Chunks of one line, so each line is stored and checkpointed on its own.
    const sync = () => runSync("deploy_logs", sourceSync("deploy_logs", deployLogsSource({ chunkBytes: 150 })), { config, store: store(), trigger: "manual", log: () => {} });
    const undo = await refuse(store(), "deployments", "d2");
    try {
      const result = await sync();
      expect(result.status).toBe("partial");
      expect(result.errors).toEqual([`${files.a}: the database refused line 2 (a deployment record): refused by the test (d2)`]);
      expect(result.records).toEqual({ [files.a]: 1, [files.b]: 1 });
      expect(await store().rows(sql`SELECT external_id FROM deployments ORDER BY external_id`)).toEqual([{ external_id: "d1" }, { external_id: "e1" }]);
    } finally {
      await undo();
    }
    const again = await sync();
    expect(again).toMatchObject({ status: "succeeded", records: { [files.a]: 2 } });
    expect(await store().rows(sql`SELECT external_id FROM deployments ORDER BY external_id`)).toEqual(["d1", "d2", "d3", "e1"].map((id) => ({ external_id: id })));
    files.remove();
  });

  it("says the same line in `shipshape sync` and `shipshape status`, with the run's true counts and no SQL", { timeout: 240_000 }, async () => {
    const files = deployLogFiles();
    const sandbox = await cliSandbox(driver, files.yaml);
    try {
      writeFileSync(sandbox.env.SHIPSHAPE_CONFIG!, files.yaml.replace("logs/*.jsonl", `${files.dir}/logs/*.jsonl`));
      const runtime = await sandbox.open();
      await refuse(runtime.store, "deployments", "d2");
      await runtime.store.close();

      const sync = await sandbox.run(["sync"]);
      const line = `${files.a}: the database refused line 2 (a deployment record): refused by the test (d2)`;
      expect(sync.code).toBe(1);
      expect(sync.stdout).toContain(`deploy_logs: partial — ${files.a} 2, ${files.b} 1; 0 requests`);
      expect(sync.stderr.trim().split("\n")).toEqual([`deploy_logs: ${line}`]);

      const status = await sandbox.run(["status"]);
      expect(status.code).toBe(0);
      const lines = status.stdout.split("\n");
      expect(lines).toContain(`    ${line}`);
      expect(status.stdout).not.toMatch(/insert into|failed query|\n\s+at /i);
    } finally {
      await sandbox.remove();
      files.remove();
    }
  });
});
