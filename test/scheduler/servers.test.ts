/**
 * Several server processes on one PostgreSQL (PostgreSQL only: the embedded database allows one
 * process): each tick of an every-second schedule runs exactly once across two servers, and a
 * run killed mid-way is marked failed at the next start, whose next run does the work.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { sql } from "drizzle-orm";
import { expect, it } from "vitest";
import { openStore } from "@/db/client";
import { parseConfig } from "@/lib/config/load";
import { INTERRUPTED } from "@/lib/scheduler/guard";
import { Scheduler } from "@/lib/scheduler/scheduler";
import { describeOnPostgres } from "@/test/support/db";
import { deployLogDeployment } from "@/test/support/records";
import { testDir } from "@/test/support/temp";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function workspace(): { configPath: string; yaml: string } {
  const dir = testDir("servers");
  mkdirSync(join(dir, "logs"));
  const line = (id: string) => JSON.stringify(deployLogDeployment(id));
  writeFileSync(join(dir, "logs", "a.jsonl"), `${line("d1")}\n${line("d2")}\n`);
  const yaml = `sources:\n  deploy_logs:\n    paths: [logs/*.jsonl]\n    schedule: "* * * * * *"\n`;
  const configPath = join(dir, "shipshape.yaml");
  writeFileSync(configPath, yaml);
  return { configPath, yaml };
}

/** Starts a server process; resolves once its scheduler has started. */
function server(databaseUrl: string, configPath: string, env: Record<string, string> = {}): Promise<{ child: ChildProcess; output: () => string; exited: Promise<unknown> }> {
  const child = spawn(process.execPath, ["--import", "tsx", "test/scheduler/server-process.ts"], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: databaseUrl, SHIPSHAPE_CONFIG: configPath, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const exited = new Promise((resolve) => child.on("exit", resolve));
  return new Promise((resolve, reject) => {
    child.stderr!.on("data", (chunk) => (output += chunk));
    child.stdout!.on("data", (chunk) => {
      output += chunk;
      if (output.includes("started")) resolve({ child, output: () => output, exited });
    });
    void exited.then(() => reject(new Error(`server exited: ${output}`)));
  });
}

describeOnPostgres("several servers", (store) => {
  const databaseUrl = () => store().location.replace(":***@", "@");

  it("run each tick exactly once between them, never overlapping", { timeout: 120_000 }, async () => {
    const { configPath } = workspace();
    const servers = await Promise.all([server(databaseUrl(), configPath, { SLOW_MS: "300" }), server(databaseUrl(), configPath, { SLOW_MS: "300" })]);
    const from = Date.now();
    await sleep(4_000);
    const to = Date.now();
    for (const { child } of servers) child.kill("SIGTERM");
    await Promise.all(servers.map(({ exited }) => exited));

    const claims = await store().rows<{ at: string; run_id: number | null; skipped: string | null }>(
      sql`SELECT scheduled_for::text AS at, run_id, skipped FROM schedule_claims ORDER BY scheduled_for`,
    );
    const runs = await store().rows<{ id: number; started: string; finished: string; status: string }>(
      sql`SELECT id, started_at::text AS started, finished_at::text AS finished, status FROM sync_runs WHERE trigger = 'schedule' ORDER BY started_at`,
    );
    // Every whole second the two servers were both up is claimed once (the primary key) and run once.
    const seconds = new Set(claims.map((claim) => Math.floor(new Date(claim.at).getTime() / 1000)));
    for (let second = Math.ceil(from / 1000); second < Math.floor(to / 1000); second++) expect(seconds.has(second), `tick ${second}`).toBe(true);
    expect(claims.filter((claim) => claim.run_id !== null).map((claim) => claim.run_id).sort()).toEqual(runs.map((run) => run.id).sort());
    expect(claims.every((claim) => (claim.run_id === null) !== (claim.skipped === null))).toBe(true);
    expect(runs.every((run) => run.status === "succeeded")).toBe(true);
    for (let i = 1; i < runs.length; i++) expect(new Date(runs[i]!.started) >= new Date(runs[i - 1]!.finished)).toBe(true);
    expect(await store().rows(sql`SELECT external_id FROM deployments ORDER BY external_id`)).toEqual([{ external_id: "d1" }, { external_id: "d2" }]);
  });

  it("mark a killed run failed at the next start, whose next run does the work", { timeout: 120_000 }, async () => {
    const { configPath, yaml } = workspace();
    const killed = await server(databaseUrl(), configPath, { SLOW_MS: "60000" });
    while ((await store().rows(sql`SELECT id FROM sync_runs WHERE status = 'running'`)).length === 0) await sleep(100);
    killed.child.kill("SIGKILL");
    await killed.exited;
    expect(await store().rows(sql`SELECT external_id FROM deployments`)).toEqual([]);

    const config = parseConfig(yaml, configPath, {});
    const other = await openStore({ databaseUrl: databaseUrl() });
    const scheduler = new Scheduler({ config, store: other, log: () => {} });
    await scheduler.start();
    // The next run (a catch-up, or the next tick when the killed run's tick is still the latest) does the work.
    while ((await store().rows(sql`SELECT id FROM sync_runs WHERE status = 'succeeded'`)).length === 0) await sleep(100);
    await scheduler.stop(10_000);
    await other.close();
    const runs = await store().rows<{ status: string; error: string | null }>(sql`SELECT status, error FROM sync_runs ORDER BY id`);
    expect(runs[0]).toEqual({ status: "failed", error: INTERRUPTED });
    expect(runs.slice(1).every((run) => run.status === "succeeded")).toBe(true);
    expect(await store().rows(sql`SELECT external_id FROM deployments ORDER BY external_id`)).toEqual([{ external_id: "d1" }, { external_id: "d2" }]);
  });
});
