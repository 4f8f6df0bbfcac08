/**
 * derived_shipped_commits (lib/kpis/entities/shipped-derivation.ts): what the triggers mark, what
 * a refresh derives incrementally, and that it always equals a derivation made from scratch.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { expect, it } from "vitest";
import { sql } from "drizzle-orm";
import type { Store } from "@/db/client";
import { projectOf } from "@/lib/config/projects";
import type { ProjectConfig } from "@/lib/config/load";
import { refreshShippedCommits } from "@/lib/kpis/entities/shipped-derivation";
import { leadTimeForChanges } from "@/lib/kpis/definitions/lead-time-for-changes";
import { ingestFile } from "@/lib/ingest/ingest";
import { describeEachDriver } from "@/test/support/db";
import { testConfig } from "@/test/support/config";
import { commit, deployLogDeployment, deployment, insertCommits, insertDeployments } from "@/test/support/records";
import { testDir } from "@/test/support/temp";
import { contextFor } from "./support";

const config = testConfig();
const fraud = projectOf(config, "fraud");
const repo = "acme/fraud-api";

/** The table's rows for the fraud project, as [sha, deployment's external id]. */
async function derived(store: Store): Promise<[string, string][]> {
  const rows = await store.rows<{ sha: string; deployment: string }>(sql`
    SELECT s.sha, d.external_id AS deployment FROM derived_shipped_commits s JOIN deployments d ON d.id = s.deployment_id
    WHERE s.project = 'fraud' ORDER BY s.sha`);
  return rows.map((row) => [row.sha, row.deployment]);
}

/** When the fraud project's derivation of acme/fraud-api must be derived again from, or null. */
async function dirtyFrom(store: Store): Promise<string | null> {
  const [row] = await store.rows<{ dirty_from: string | null }>(sql`
    SELECT CASE WHEN dirty_from = '-infinity' THEN '-infinity' ELSE to_char(dirty_from AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') END AS dirty_from
    FROM derived_shipped_state WHERE project = 'fraud' AND repo = ${repo}`);
  return row!.dirty_from;
}

/** The table as a derivation from scratch makes it (the state forgotten, so everything is derived again). */
async function fromScratch(store: Store, project: ProjectConfig = fraud): Promise<[string, string][]> {
  await store.db.execute(sql`DELETE FROM derived_shipped_state WHERE project = ${project.slug}`);
  await refreshShippedCommits(store, project);
  return derived(store);
}

/** a ← b ← c on the line; d1 deploys a on 03-01, d2 deploys c on 03-03. */
async function insertLine(store: Store) {
  await insertCommits(store, [
    commit("a", [], "2026-02-27T00:00:00Z"),
    commit("b", ["a"], "2026-02-28T00:00:00Z"),
    commit("c", ["b"], "2026-03-01T12:00:00Z"),
  ]);
  await insertDeployments(store, [
    deployment("d1", "2026-03-01T00:00:00Z", { repo, commitSha: "a" }),
    deployment("d2", "2026-03-03T00:00:00Z", { repo, commitSha: "c" }),
  ]);
}

describeEachDriver("derived shipped commits", (store) => {
  it("a refresh derives which deployment first shipped each commit", async () => {
    await insertLine(store());
    await refreshShippedCommits(store(), fraud);
    expect(await derived(store())).toEqual([["a", "d1"], ["b", "d2"], ["c", "d2"]]);
    expect(await dirtyFrom(store())).toBeNull();
  });

  it("new deployments and commits mark it from the earliest finish they change; the refresh then equals one from scratch", async () => {
    await insertLine(store());
    await refreshShippedCommits(store(), fraud);
    // A new commit on the line and its deployment on 03-05: only what finishes from 03-05 on changes.
    await insertCommits(store(), [commit("e", ["c"], "2026-03-04T00:00:00Z")]);
    await insertDeployments(store(), [deployment("d3", "2026-03-05T00:00:00Z", { repo, commitSha: "e" })]);
    // e is placed above every deployed commit, so it changes no deployment made before d3.
    expect(await dirtyFrom(store())).toBe("2026-03-05T00:00:00Z");
    await refreshShippedCommits(store(), fraud);
    expect(await derived(store())).toEqual([["a", "d1"], ["b", "d2"], ["c", "d2"], ["e", "d3"]]);
    // A deployment that arrives late, of b on 02-28: it ships a and b, d1 ships nothing, d2 only c.
    await insertDeployments(store(), [deployment("d0", "2026-02-28T00:00:00Z", { repo, commitSha: "b" })]);
    expect(await dirtyFrom(store())).toBe("2026-02-28T00:00:00Z");
    await refreshShippedCommits(store(), fraud);
    const incremental = await derived(store());
    expect(incremental).toEqual([["a", "d0"], ["b", "d0"], ["c", "d2"], ["e", "d3"]]);
    expect(await fromScratch(store())).toEqual(incremental);
  });

  it("re-writing a deployment unchanged marks nothing; changing its status marks it from its finish", async () => {
    await insertLine(store());
    await refreshShippedCommits(store(), fraud);
    await store().db.execute(sql`UPDATE deployments SET status = status WHERE external_id = 'd2'`);
    expect(await dirtyFrom(store())).toBeNull();
    await store().db.execute(sql`UPDATE deployments SET status = 'failure' WHERE external_id = 'd2'`);
    expect(await dirtyFrom(store())).toBe("2026-03-03T00:00:00Z");
    await refreshShippedCommits(store(), fraud);
    expect(await derived(store())).toEqual([["a", "d1"]]);
  });

  it("emptying the commits derives everything again: nothing is shipped without a placed commit", async () => {
    await insertLine(store());
    await refreshShippedCommits(store(), fraud);
    await store().db.execute(sql`TRUNCATE commits`);
    expect(await dirtyFrom(store())).toBe("-infinity");
    await refreshShippedCommits(store(), fraud);
    expect(await derived(store())).toEqual([]);
  });

  it("derives everything again when the project's production environments change", async () => {
    await insertLine(store());
    await insertDeployments(store(), [deployment("live-1", "2026-03-02T00:00:00Z", { repo, commitSha: "b", environment: "Live" })]);
    await refreshShippedCommits(store(), fraud);
    expect(await derived(store())).toEqual([["a", "d1"], ["b", "d2"], ["c", "d2"]]);
    // Nothing written since: only the stamp differs, and a "live" deployment now ships b.
    const withLive = { ...fraud, production_environments: ["production", "live"] };
    await refreshShippedCommits(store(), withLive);
    expect(await derived(store())).toEqual([["a", "d1"], ["b", "live-1"], ["c", "d2"]]);
    expect(await fromScratch(store(), withLive)).toEqual([["a", "d1"], ["b", "live-1"], ["c", "d2"]]);
  });

  it("a refresh that fails mid-way leaves the old derivation, still marked; the next one gives the uninterrupted result", async () => {
    await insertLine(store());
    await refreshShippedCommits(store(), fraud);
    await insertDeployments(store(), [deployment("d0", "2026-02-28T00:00:00Z", { repo, commitSha: "b" })]);
    // Fails inside the refresh's transaction, after its delete of the rows it derives again.
    await store().db.execute(sql`CREATE FUNCTION fail_derivation() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'killed mid-refresh'; END $$`);
    await store().db.execute(sql`CREATE TRIGGER fail_derivation BEFORE INSERT ON derived_shipped_commits
      FOR EACH STATEMENT EXECUTE FUNCTION fail_derivation()`);
    try {
      await expect(refreshShippedCommits(store(), fraud)).rejects.toMatchObject({ cause: { message: "killed mid-refresh" } });
    } finally {
      await store().db.execute(sql`DROP TRIGGER fail_derivation ON derived_shipped_commits`);
      await store().db.execute(sql`DROP FUNCTION fail_derivation()`);
    }
    expect(await derived(store())).toEqual([["a", "d1"], ["b", "d2"], ["c", "d2"]]);
    expect(await dirtyFrom(store())).toBe("2026-02-28T00:00:00Z");
    await refreshShippedCommits(store(), fraud);
    expect(await derived(store())).toEqual([["a", "d0"], ["b", "d0"], ["c", "d2"]]);
  });

  it("an ingest leaves it fresh, equal to a derivation from scratch", async () => {
    await insertLine(store());
    const log = join(testDir("derived"), "log.jsonl");
    const line = (id: string, sha: string, finished: string) =>
      JSON.stringify(deployLogDeployment(id, { service: "fraud-api", repo, commit_sha: sha, finished_at: finished }));
    // Two commits after c (shas a deployment log accepts), deployed by the log on 03-06 and 03-07.
    await insertCommits(store(), [commit("f00d001", ["c"], "2026-03-05T00:00:00Z"), commit("f00d002", ["f00d001"], "2026-03-05T06:00:00Z")]);
    writeFileSync(log, [line("d3", "f00d001", "2026-03-06T00:00:00Z"), line("d4", "f00d002", "2026-03-07T00:00:00Z")].join("\n"));
    await ingestFile(store(), log, { config });
    expect(await dirtyFrom(store())).toBeNull();
    const afterIngest = await derived(store());
    expect(afterIngest).toEqual([["a", "d1"], ["b", "d2"], ["c", "d2"], ["f00d001", "d3"], ["f00d002", "d4"]]);
    expect(await fromScratch(store())).toEqual(afterIngest);
  });

  it("a report on records no refresh has seen derives them first", async () => {
    await insertLine(store());
    const march = contextFor(config, "fraud", { from: "2026-03-01", to: "2026-03-31", timezone: "UTC" });
    // Changes a (authored 02-27, shipped 03-01: 48 h), b (02-28 → 03-03: 72 h), c (03-01 12:00 → 03-03: 36 h): median 48.
    expect((await leadTimeForChanges.compute(store(), march))[0]).toMatchObject({ value: 48, sampleSize: 3 });
    await insertDeployments(store(), [deployment("d0", "2026-02-28T00:00:00Z", { repo, commitSha: "b" })]);
    // a and b now shipped by d0, before the window: only c is left in it.
    expect((await leadTimeForChanges.compute(store(), march))[0]).toMatchObject({ value: 36, sampleSize: 1 });
  });
});
