/** A GitHub sync reports where it is: repo of repos, each stream, records and requests so far, points left. */
import { afterAll, beforeAll, expect, it } from "vitest";
import { githubSource } from "@/connectors/github/source";
import { parseConfig } from "@/lib/config/load";
import type { SyncProgress } from "@/lib/sync/progress";
import { runSync } from "@/lib/sync/run";
import { sourceSync } from "@/lib/sync/runner";
import { describeEachDriver } from "@/test/support/db";
import { FakeGitHub } from "./fake-github";
import { buildBusyRepo } from "./scenarios";
import { configYaml, REST, TEST_TUNING } from "./support";

describeEachDriver("GitHub sync progress", (store) => {
  let fake: FakeGitHub;
  beforeAll(async () => {
    fake = await new FakeGitHub().start();
    buildBusyRepo(fake, "acme/api", { pulls: 20, deployEvery: 5, releaseEvery: 10, issues: 5 });
    buildBusyRepo(fake, "acme/web", { pulls: 10, deployEvery: 5, releaseEvery: 10, issues: 5 });
  });
  afterAll(() => fake.stop());

  for (const [api, extra, unit] of [
    ["graphql", "", "points"],
    ["rest", REST, "requests"],
  ] as const) {
    it(`says per repo and stream what was stored and sent, and what is left of the rate limit (${api})`, async () => {
      const config = parseConfig(configYaml(fake, ["acme/api", "acme/web"], extra), "shipshape.yaml", {});
      const seen: SyncProgress[] = [];
      const result = await runSync("github", sourceSync("github", githubSource(TEST_TUNING)), { config, store: store(), trigger: "manual", log: () => {}, progress: (p) => seen.push(p) });
      expect(result.errors).toEqual([]);

      const done = seen.filter((p) => p.done);
      expect(done.map((p) => [p.part, p.index, p.total])).toEqual([
        ["acme/api", 1, 2],
        ["acme/web", 2, 2],
      ]);
      // A part's counts are its own: together, the run's.
      const recordsOf = (repo: string) => Object.entries(result.records).reduce((sum, [key, n]) => (key.startsWith(`${repo}:`) ? sum + n : sum), 0);
      expect(done.map((p) => p.records)).toEqual([recordsOf("acme/api"), recordsOf("acme/web")]);
      expect(done[0]!.requests + done[1]!.requests).toBe(result.requests);
      for (const p of done) expect(p.budget).toMatch(new RegExp(`^[\\d,]+ ${unit} left$`));
      // No estimate before the first repo is done; one after.
      expect(seen.filter((p) => p.index === 1 && !p.done).every((p) => p.remainingMs === null)).toBe(true);
      expect(done[0]!.remainingMs).toEqual(expect.any(Number));

      // The streams in their order, each reported as it starts; records only grow within a part.
      const streams = [...new Set(seen.filter((p) => p.part === "acme/api" && p.stream).map((p) => p.stream))];
      expect(streams).toEqual(["repo", "pulls", "commits", "deployments", "releases", "issues", "workflow_runs"]);
      const apiRecords = seen.filter((p) => p.part === "acme/api").map((p) => p.records);
      expect(apiRecords).toEqual([...apiRecords].sort((a, b) => a - b));
    });
  }
});
