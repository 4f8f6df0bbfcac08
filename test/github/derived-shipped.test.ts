/**
 * After a GitHub sync the derived shipped commits (lib/kpis/entities/shipped-derivation.ts) are
 * fresh and equal a derivation from scratch, also after a force push re-placed the history.
 */
import { sql } from "drizzle-orm";
import { expect, it } from "vitest";
import type { Store } from "@/db/client";
import { parseConfig } from "@/lib/config/load";
import { projectOf } from "@/lib/config/projects";
import { refreshShippedCommits } from "@/lib/kpis/entities/shipped-derivation";
import { describeEachDriver } from "@/test/support/db";
import { configYaml, REST, syncGitHub, useFakeGitHub } from "./support";

const API = "acme/api";

describeEachDriver("derived shipped commits after a GitHub sync", (store) => {
  const fake = useFakeGitHub();

  /** The shop project's rows as [sha, the shipping deployment's finish], by sha. */
  const derived = async (s: Store) =>
    (await s.rows<{ sha: string; finished: string }>(sql`
      SELECT sha, to_char(finished_at AT TIME ZONE 'UTC', 'HH24:MI') AS finished FROM derived_shipped_commits
      WHERE project = 'shop' ORDER BY sha COLLATE "C"`)).map((row) => [row.sha, row.finished]);
  const stale = async (s: Store) =>
    (await s.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM derived_shipped_state WHERE project = 'shop' AND dirty_from IS NOT NULL`))[0]!.n;
  const fromScratch = async (s: Store) => {
    await s.db.execute(sql`DELETE FROM derived_shipped_state`);
    await refreshShippedCommits(s, projectOf(parseConfig(configYaml(fake, [API]), "shipshape.yaml", {}), "shop"));
    return derived(s);
  };

  it("derives them at the end of the sync; after a force push, what the re-placed history ships", async () => {
    const repo = fake.repo(API);
    const a = repo.commit("main", "A", "2026-03-01T09:00:00Z");
    const b = repo.commit("main", "B", "2026-03-01T10:00:00Z");
    const c = repo.commit("main", "C", "2026-03-01T11:00:00Z");
    repo.deploy({ sha: b, at: "2026-03-01T10:20:00Z", statuses: [{ state: "success", at: "2026-03-01T10:30:00Z" }] });
    repo.deploy({ sha: c, at: "2026-03-01T11:20:00Z", statuses: [{ state: "success", at: "2026-03-01T11:30:00Z" }] });
    await syncGitHub(store(), fake, [API], REST);
    expect(await stale(store())).toBe(0);
    const bySha = (rows: string[][]) => rows.sort(([x], [y]) => (x! < y! ? -1 : 1));
    expect(await derived(store())).toEqual(bySha([[a, "10:30"], [b, "10:30"], [c, "11:30"]]));

    // B and C leave the branch: their deployments ship nothing; D's ships A and D.
    repo.branches.set("main", a);
    const d = repo.commit("main", "D", "2026-03-01T12:00:00Z");
    repo.deploy({ sha: d, at: "2026-03-01T12:20:00Z", statuses: [{ state: "success", at: "2026-03-01T12:30:00Z" }] });
    await syncGitHub(store(), fake, [API], REST);
    expect(await stale(store())).toBe(0);
    const afterSync = await derived(store());
    expect(afterSync).toEqual(bySha([[a, "12:30"], [d, "12:30"]]));
    expect(await fromScratch(store())).toEqual(afterSync);
  });
});
