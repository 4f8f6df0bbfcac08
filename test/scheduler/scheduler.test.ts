/**
 * One scheduler on either database, with an every-second schedule: a run still going makes the
 * next ticks skip (recorded, not overlapping); a server that was down catches up with one run;
 * `shipshape status`'s query shows the runs, the next tick and the last error.
 */
import { sql } from "drizzle-orm";
import { afterEach, expect, it } from "vitest";
import { scheduleClaims, syncRuns } from "@/db/schema";
import { parseConfig, type Config } from "@/lib/config/load";
import { failAllInterruptedRuns, INTERRUPTED, runExclusively } from "@/lib/scheduler/guard";
import { Scheduler, SKIPPED_BUSY } from "@/lib/scheduler/scheduler";
import { sourcesStatus } from "@/lib/sync/status";
import type { SourceSync } from "@/lib/sync/run";
import { describeEachDriver } from "@/test/support/db";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const config = (schedule: string): Config => parseConfig(`sources:\n  deploy_logs:\n    paths: [none/*.jsonl]\n    schedule: "${schedule}"\n`, "shipshape.yaml", {});
const slow = (ms: number): SourceSync => async () => (await sleep(ms), { records: { "a.jsonl": 1 }, requests: 0, errors: [], parts: 1 });

describeEachDriver("scheduler", (store) => {
  let scheduler: Scheduler | undefined;
  afterEach(async () => scheduler?.stop(10_000));

  it("skips the ticks that find the previous run still going, and records them", async () => {
    scheduler = new Scheduler({ config: config("* * * * * *"), store: store(), sources: { deploy_logs: slow(2_500) }, log: () => {} });
    await scheduler.start();
    await sleep(3_200);
    await scheduler.stop(10_000);
    const claims = await store().rows<{ run_id: number | null; skipped: string | null }>(sql`SELECT run_id, skipped FROM schedule_claims ORDER BY scheduled_for`);
    const runs = await store().rows<{ started: string; finished: string }>(sql`SELECT started_at::text AS started, finished_at::text AS finished FROM sync_runs ORDER BY id`);
    // The first start catches up (never run before), so a run begins at once; the ticks of the next 2.5 s skip.
    expect(claims.filter((claim) => claim.run_id !== null).length).toBeLessThanOrEqual(2);
    expect(claims.filter((claim) => claim.skipped === SKIPPED_BUSY).length).toBeGreaterThanOrEqual(2);
    for (let i = 1; i < runs.length; i++) expect(new Date(runs[i]!.started) >= new Date(runs[i - 1]!.finished)).toBe(true);
  });

  it("catches up with one run after missing many ticks, and not again at the next start", async () => {
    const hourly = config("0 * * * *");
    const now = Date.now();
    const lastHour = new Date(Math.floor(now / 3_600_000) * 3_600_000);
    // Last run by a server that then was down for five hours.
    await store().db.insert(scheduleClaims).values({ source: "deploy_logs", scheduledFor: new Date(lastHour.getTime() - 5 * 3_600_000).toISOString(), claimedBy: "old" });
    for (let start = 0; start < 2; start++) {
      scheduler = new Scheduler({ config: hourly, store: store(), sources: { deploy_logs: slow(0) }, log: () => {} });
      await scheduler.start();
      await scheduler.stop(10_000);
    }
    const claims = await store().rows<{ at: string; run_id: number | null }>(sql`SELECT scheduled_for AS at, run_id FROM schedule_claims ORDER BY scheduled_for`);
    expect(claims.map((claim) => [new Date(claim.at).toISOString(), claim.run_id])).toEqual([
      [new Date(lastHour.getTime() - 5 * 3_600_000).toISOString(), null],
      [lastHour.toISOString(), 1],
    ]);
    expect(await store().rows(sql`SELECT trigger, status FROM sync_runs`)).toEqual([{ trigger: "schedule", status: "succeeded" }]);
  });

  it("tells afterRun of each run that stored records (the server then recomputes the overview), not of one that stored none", async () => {
    const told: string[] = [];
    const afterRun = (result: { records: Record<string, number> }) => told.push(Object.keys(result.records).join());
    // Each start catches up with one run: the first ever, then one for a tick that was never claimed.
    scheduler = new Scheduler({ config: config("0 * * * *"), store: store(), sources: { deploy_logs: slow(0) }, log: () => {}, afterRun });
    await scheduler.start();
    await scheduler.stop(10_000);
    expect(told).toEqual(["a.jsonl"]);
    const nothingNew: SourceSync = async () => ({ records: {}, requests: 0, errors: [], parts: 1 });
    await store().db.delete(scheduleClaims);
    scheduler = new Scheduler({ config: config("0 * * * *"), store: store(), sources: { deploy_logs: nothingNew }, log: () => {}, afterRun });
    await scheduler.start();
    await scheduler.stop(10_000);
    expect(told).toEqual(["a.jsonl"]);
    expect(await store().rows(sql`SELECT status FROM sync_runs ORDER BY id`)).toEqual([{ status: "succeeded" }, { status: "succeeded" }]);
  });

  it("never runs a source twice at once, whoever starts it", async () => {
    const context = { config: config("0 * * * *"), store: store(), trigger: "manual" as const, log: () => {} };
    const [first, second] = await Promise.all([runExclusively("deploy_logs", slow(300), context), runExclusively("deploy_logs", slow(300), context)]);
    expect([first.ran, second.ran].sort()).toEqual([false, true]);
  });

  it("marks failed the runs a stopped process left running, never a live one", async () => {
    const context = { config: config("0 * * * *"), store: store(), trigger: "manual" as const, log: () => {} };
    // What a process killed mid-run leaves: its row, still running, and no lock held.
    await store().db.insert(syncRuns).values({ source: "jira", trigger: "schedule" });
    const live = runExclusively("deploy_logs", slow(500), context);
    await sleep(200);
    expect(await failAllInterruptedRuns(store())).toEqual(["jira"]);
    await live;
    expect(await store().rows(sql`SELECT source, status, error FROM sync_runs ORDER BY id`)).toEqual([
      { source: "jira", status: "failed", error: INTERRUPTED },
      { source: "deploy_logs", status: "succeeded", error: null },
    ]);
  });

  it("runs a source again at start when a stopped process cut its last run off, though its tick was taken", async () => {
    const hourly = config("0 * * * *");
    const lastHour = new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000);
    // What a server killed mid-run leaves: the tick claimed and its run still `running`.
    const [cut] = await store().db.insert(syncRuns).values({ source: "deploy_logs", trigger: "schedule" }).returning({ id: syncRuns.id });
    await store().db.insert(scheduleClaims).values({ source: "deploy_logs", scheduledFor: lastHour.toISOString(), claimedBy: "killed", runId: cut!.id });
    for (let start = 0; start < 2; start++) {
      scheduler = new Scheduler({ config: hourly, store: store(), sources: { deploy_logs: slow(0) }, log: () => {} });
      await scheduler.start();
      await scheduler.stop(10_000);
    }
    // Once: the second start finds nothing cut off.
    expect(await store().rows(sql`SELECT status, error FROM sync_runs ORDER BY id`)).toEqual([
      { status: "failed", error: INTERRUPTED },
      { status: "succeeded", error: null },
    ]);
  });

  it("shows each source's runs, next tick and last error", async () => {
    const hourly = config("0 * * * *");
    const context = { config: hourly, store: store(), trigger: "manual" as const, log: () => {} };
    await runExclusively("deploy_logs", async () => ({ records: {}, requests: 0, errors: ["a.jsonl: permission denied"], parts: 1 }), context);
    await runExclusively("deploy_logs", slow(0), context);
    const now = new Date("2026-11-23T09:35:00Z");
    const [status] = await sourcesStatus(hourly, store(), { now });
    expect(status).toMatchObject({
      source: "deploy_logs",
      schedule: "0 * * * *",
      last_error: { error: "a.jsonl: permission denied" },
      runs: [
        { id: 2, trigger: "manual", status: "succeeded", records: { "a.jsonl": 1 }, requests: 0, error: null },
        { id: 1, trigger: "manual", status: "failed", records: {}, error: "a.jsonl: permission denied" },
      ],
    });
    expect(new Date(status!.next_run_at!).getMinutes()).toBe(0);
    expect(new Date(status!.next_run_at!).getTime() - now.getTime()).toBeLessThanOrEqual(3_600_000);
  });
});
