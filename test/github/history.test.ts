/**
 * Lead time, change failure rate, rework rate and incident attribution on a history built like a
 * real one (a Go library's): a maintainer who merges a `develop` branch into main again and again
 * without a pull request, and who pushes copies of a pull request's commits to main a day before
 * that pull request merges; squash, rebase and merge-commit pull requests, a rollback, a deployment
 * of another branch, deployments without a commit. Everything GitHub holds goes through the real
 * sync (the local GitHub of test/github/fake-github.ts, in two syncs); the expectations are by hand.
 */
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, expect, it } from "vitest";
import { placeCommits } from "@/connectors/github/enrichers";
import { parseConfig } from "@/lib/config/load";
import { changeFailureRate } from "@/lib/kpis/definitions/change-failure-rate";
import { leadTimeForChanges } from "@/lib/kpis/definitions/lead-time-for-changes";
import { reworkRate } from "@/lib/kpis/definitions/rework-rate";
import { shippedChanges } from "@/lib/kpis/entities/changes";
import { describeEachDriver } from "@/test/support/db";
import { deployment, incident, insertDeployments, insertIncidents } from "@/test/support/records";
import { contextFor } from "@/test/kpis/support";
import { FakeGitHub, type FakeRepo } from "./fake-github";
import { configYaml, syncGitHub } from "./support";

const LIB = "acme/lib";
const day = (date: string, time: string) => `2026-04-${date}T${time}:00Z`;

/** Up to the maintainer's deployment of day 2; returns the shas and deployment ids the test names. */
function buildFirstDays(repo: FakeRepo) {
  const success = (at: string) => [{ state: "success", at }];
  const init = repo.commit("main", "Initial commit", "2026-03-30T09:00:00Z");
  const d0 = repo.deploy({ sha: init, at: "2026-03-31T11:55:00Z", statuses: success("2026-03-31T12:00:00Z") });
  // Day 1: develop (forked from the first commit), a squashed README fix, develop merged without a pull request.
  repo.branches.set("develop", init);
  const d1 = repo.commit("develop", "Add parser", day("01", "10:00"));
  const d2 = repo.commit("develop", "Parser tests", day("01", "11:00"));
  repo.openPull(1, { title: "Fix README", branch: "fix-readme", at: day("01", "12:00"), commits: [{ message: "Fix README", at: day("01", "12:00") }] });
  const s1 = repo.merge(1, "squash", day("01", "14:00"));
  const m1 = repo.commit("main", "Merge branch 'develop'", day("01", "15:00"), { parents: [s1, d2] });
  const A = repo.deploy({ sha: m1, at: day("01", "15:55"), statuses: success(day("01", "16:00")) });
  // Day 2: a contributor's branch with five parts and a feature; the maintainer pushes copies of the five parts to main.
  const parts = [1, 2, 3, 4, 5].map((k) => ({ message: `Part ${k}`, at: day("02", `09:${String((k - 1) * 10).padStart(2, "0")}`) }));
  repo.openPull(2, { title: "Feature X", branch: "feature-x", at: day("02", "08:00"), commits: [...parts, { message: "Feature X", at: day("02", "14:00") }] });
  const copies = parts.map((part, k) => repo.commit("main", part.message, day("02", `10:${String(k * 10).padStart(2, "0")}`), { authoredAt: part.at }));
  const B = repo.deploy({ sha: copies[4]!, at: day("02", "11:55"), statuses: success(day("02", "12:00")) });
  const d3 = repo.commit("develop", "Lexer", day("02", "10:00"));
  return { d0, A, B, d1, d2, d3, copies };
}

/** Days 3 to 5. */
function buildLaterDays(repo: FakeRepo) {
  const success = (at: string) => [{ state: "success", at }];
  // Day 3: PR 2 squashed a day after the copies; develop merged again.
  const s2 = repo.merge(2, "squash", day("03", "10:00"));
  const m3 = repo.commit("main", "Merge branch 'develop'", day("03", "11:00"), { parents: [s2, repo.branches.get("develop")!] });
  const C = repo.deploy({ sha: m3, at: day("03", "11:55"), statuses: success(day("03", "12:00")) });
  // Day 4: a merge-commit PR, a rebased PR, staging, production, a rollback to C's commit, forward again.
  repo.openPull(3, { title: "Feature Y", branch: "feature-y", at: day("04", "09:00"), commits: [{ message: "Y part 1", at: day("04", "09:00") }, { message: "Y part 2", at: day("04", "10:00") }] });
  repo.merge(3, "merge", day("04", "11:00"));
  repo.openPull(4, { title: "Feature Z", branch: "feature-z", at: day("04", "11:30"), commits: [{ message: "Z part 1", at: day("04", "11:30") }, { message: "Z part 2", at: day("04", "12:00") }] });
  const z2 = repo.merge(4, "rebase", day("04", "13:00"));
  const z1 = repo.commits.get(z2)!.parents[0]!;
  const staging = repo.deploy({ sha: z2, environment: "staging", at: day("04", "13:20"), statuses: success(day("04", "13:30")) });
  const E = repo.deploy({ sha: z2, at: day("04", "13:55"), statuses: success(day("04", "14:00")) });
  const F = repo.deploy({ sha: m3, at: day("04", "14:55"), statuses: success(day("04", "15:00")) });
  const G = repo.deploy({ sha: z2, at: day("04", "17:55"), statuses: success(day("04", "18:00")) });
  // Day 5: develop moves on; a hotfix deployed from its branch, then squashed; a revert of PR 2; develop merged.
  const d4 = repo.commit("develop", "Lexer errors", day("05", "08:00"));
  const d5 = repo.commit("develop", "Lexer docs", day("05", "08:30"));
  repo.openPull(5, { title: "Guard nil token", branch: "hotfix/nil-token", at: day("05", "09:00"), commits: [{ message: "Guard nil token", at: day("05", "09:00") }] });
  const K = repo.deploy({ sha: repo.pulls.get(5)!.headSha, ref: "hotfix/nil-token", at: day("05", "09:10"), statuses: success(day("05", "09:15")) });
  repo.merge(5, "squash", day("05", "09:30"));
  repo.openPull(6, {
    title: 'Revert "Feature X"',
    branch: "revert-2-feature-x",
    at: day("05", "10:00"),
    body: "Reverts acme/lib#2",
    commits: [{ message: 'Revert "Feature X"', at: day("05", "10:00") }],
  });
  const s6 = repo.merge(6, "squash", day("05", "10:30"));
  const m5 = repo.commit("main", "Merge branch 'develop'", day("05", "11:00"), { parents: [s6, d5] });
  const H = repo.deploy({ sha: m5, at: day("05", "11:55"), statuses: success(day("05", "12:00")) });
  return { C, E, F, G, H, K, staging, z1, d4, d5 };
}

describeEachDriver("lead time on a real-shaped history: develop merges, copied commits, every merge kind", (store) => {
  let fake: FakeGitHub;
  beforeAll(async () => {
    fake = await new FakeGitHub().start();
  });
  afterAll(() => fake.stop());
  beforeEach(() => fake.repos.clear());

  const config = () => parseConfig(configYaml(fake, [LIB]), "shipshape.yaml", {});
  const april = () => contextFor(config(), "shop", { from: "2026-04-01", to: "2026-04-30" });
  const deploymentId = (id: number) => `${LIB}/deployments/${id}`;
  const lone = (sha: string) => `${LIB}@${sha.slice(0, 7)}`;

  async function build() {
    const repo = fake.repo(LIB);
    const first = buildFirstDays(repo);
    expect((await syncGitHub(store(), fake, [LIB])).status).toBe("succeeded");
    const later = buildLaterDays(repo);
    expect((await syncGitHub(store(), fake, [LIB])).status).toBe("succeeded");
    // Two deployments the deployment log reported without a commit.
    await insertDeployments(store(), [
      deployment("no-sha-1", day("05", "13:00"), { service: null, repo: LIB }),
      deployment("no-sha-2", day("06", "09:00"), { service: null, repo: LIB }),
    ]);
    return { ...first, ...later };
  }

  it("ships every change through every parent, once, and no pull request before it merged", async () => {
    const h = await build();
    const shipped = await store().rows<{ deployment: string; change_id: string }>(sql`
      SELECT d.external_id AS deployment, ch.change_id FROM (${shippedChanges(april())}) AS ch JOIN deployments d ON d.id = ch.deployment_id
      ORDER BY d.finished_at, ch.change_id`);
    const byDeployment: Record<string, string[]> = {};
    for (const row of shipped) (byDeployment[row.deployment] ??= []).push(row.change_id);
    for (const ids of Object.values(byDeployment)) ids.sort();
    expect(byDeployment).toEqual({
      // Develop's commits reach main only through the merge's second parent; the merge itself is no change.
      [deploymentId(h.A)]: [`${LIB}#1`, lone(h.d1), lone(h.d2)].sort(),
      // The maintainer's five direct pushes are lone changes, not PR 2's (it merges a day later).
      [deploymentId(h.B)]: h.copies.map(lone).sort(),
      [deploymentId(h.C)]: [`${LIB}#2`, lone(h.d3)].sort(),
      [deploymentId(h.E)]: [`${LIB}#3`, `${LIB}#4`].sort(),
      // The rollback (F), the redeploy (G), staging, the hotfix branch's deployment (K) and those without a commit ship nothing.
      [deploymentId(h.H)]: [`${LIB}#5`, `${LIB}#6`, lone(h.d4), lone(h.d5)].sort(),
    });
  });

  it("gives the lead time by hand: 16 changes, median 3.25 h, 2 of 10 deployments without a commit", async () => {
    const h = await build();
    // A (04-01 16:00): #1 4 h (README fix from 12:00), develop's 6 h and 5 h. B (04-02 12:00): the five
    // direct pushes 3, 2.83, 2.67, 2.5, 2.33 h. C (04-03 12:00): #2 22 h — from its own "Feature X"
    // (04-02 14:00), not from its copies of the pushes — and develop's lexer 26 h. E (04-04 14:00):
    // #3 5 h, #4 2.5 h (rebased; from its first commit's author date). H (04-05 12:00): #5 3 h, #6 2 h,
    // develop's 4 h and 3.5 h. Sorted, the 8th and 9th of 16 are 3 and 3.5: median 3.25.
    const [entry] = await leadTimeForChanges.compute(store(), april());
    expect(entry).toMatchObject({ value: 3.25, sampleSize: 16, coverage: { deployments: 10, without_commit: 2 } });
    const events = await leadTimeForChanges.events(store(), april(), null);
    const hours = Object.fromEntries(events.map((e) => [e.id, Math.round(e.value! * 100) / 100]));
    expect(hours).toMatchObject({ [`${LIB}#2`]: 22, [lone(h.copies[0]!)]: 3, [lone(h.copies[4]!)]: 2.33, [`${LIB}#4`]: 2.5, [lone(h.d4)]: 4 });
    expect(events.find((e) => e.id === lone(h.copies[0]!))!.title).toBe("Part 1");
  });

  it("fails the deployment an incident's second-parent-only commit came with, and the one whose pull request was reverted", async () => {
    const h = await build();
    await insertIncidents(store(), [
      incident("inc-lexer", day("05", "14:00"), { commitSha: h.d4 }), // develop's commit, first shipped by H
      incident("inc-z", day("04", "14:30"), { commitSha: h.z1 }), // a rebased copy, first shipped by E
    ]);
    // 10 completed production deployments; C shipped PR 2, which PR 6 reverts; E and H have an incident each.
    expect(await changeFailureRate.compute(store(), april())).toEqual([{ dimension: null, value: 30, sampleSize: 10 }]);
    const events = await changeFailureRate.events(store(), april(), null);
    const failed = events.filter((e) => e.value === 1);
    expect(failed.map((e) => e.id).sort()).toEqual([h.C, h.E, h.H].map(deploymentId).sort());
    expect(failed.find((e) => e.id === deploymentId(h.H))!.title).toMatch(/incidents inc-lexer$/);
    expect(failed.find((e) => e.id === deploymentId(h.C))!.title).toMatch(/reverted acme\/lib#2$/);
  });

  it("counts the deployment that shipped the hotfix pull request, not the one of its branch: 1 of 10", async () => {
    const h = await build();
    expect(await reworkRate.compute(store(), april())).toEqual([{ dimension: null, value: 10, sampleSize: 10 }]);
    const events = await reworkRate.events(store(), april(), null);
    expect(events.filter((e) => e.value === 1).map((e) => e.id)).toEqual([deploymentId(h.H)]);
  });

  it("places the history two syncs stored exactly as placing it from scratch does", async () => {
    await build();
    const read = () => store().rows(sql`SELECT sha, line_position, landed_position FROM commits ORDER BY sha`);
    const synced = await read();
    expect(synced.every((row) => row.landed_position !== null)).toBe(true);
    await store().db.execute(sql`UPDATE commits SET line_position = NULL, landed_position = NULL`);
    await placeCommits(store(), LIB);
    expect(await read()).toEqual(synced);
  });
});
