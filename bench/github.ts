/**
 * The GitHub sync's cost through REST and through GraphQL, side by side in one run
 * (docs/benchmarks.md, "GitHub sync"), against the local GitHub of the tests: a first sync and
 * an unchanged re-sync of a repo with BENCH_GITHUB_PULLS merged pull requests (default 1,000;
 * 2 default-branch commits, a deployment every 10th and an issue every 5th), into a fresh
 * embedded database each. Requests are counted by the sync, points charged by GitHub's formula.
 * With BENCH_GITHUB_LARGE_PULLS (default 10,000; 0 to skip), the same through GraphQL only for
 * a repo that size — REST would send about two requests per pull request.
 */
import { githubSource } from "@/connectors/github/source";
import { openStore } from "@/db/client";
import { migrate } from "@/db/migrate";
import { parseConfig } from "@/lib/config/load";
import { runSync } from "@/lib/sync/run";
import { sourceSync } from "@/lib/sync/runner";
import { FakeGitHub } from "@/test/github/fake-github";
import { buildBusyRepo } from "@/test/github/scenarios";
import { configYaml, REST, TEST_TUNING } from "@/test/github/support";

const PULLS = Number(process.env.BENCH_GITHUB_PULLS ?? 1000);
const LARGE_PULLS = Number(process.env.BENCH_GITHUB_LARGE_PULLS ?? 10_000);

export async function run(): Promise<void> {
  console.log("| repo | path | first sync: requests | points | seconds | unchanged re-sync: requests | points |");
  console.log("|---|---|---:|---:|---:|---:|---:|");
  await measure(PULLS, ["rest", "graphql"]);
  if (LARGE_PULLS > 0) await measure(LARGE_PULLS, ["graphql"]);
}

async function measure(pulls: number, paths: ("rest" | "graphql")[]) {
  const fake = await new FakeGitHub().start();
  const repo = `acme/pulls-${pulls}`;
  buildBusyRepo(fake, repo, { pulls, deployEvery: 10, releaseEvery: 100, issues: pulls / 5 });
  try {
    for (const path of paths) {
      const store = await openStore({ memory: true });
      await migrate(store);
      const config = parseConfig(configYaml(fake, [repo], path === "rest" ? REST : ""), "bench.yaml", {});
      const sync = () => runSync("github", sourceSync("github", githubSource(TEST_TUNING)), { config, store, trigger: "manual", log: () => {} });
      fake.log.length = 0;
      const started = performance.now();
      const first = await sync();
      const seconds = (performance.now() - started) / 1000;
      const firstPoints = fake.pointsSpent();
      fake.log.length = 0;
      const again = await sync();
      if (first.errors.length || again.errors.length) throw new Error([...first.errors, ...again.errors].join("\n"));
      const points = (n: number) => (path === "rest" ? "—" : n.toLocaleString("en"));
      console.log(
        `| ${pulls.toLocaleString("en")} PRs | ${path} | ${first.requests.toLocaleString("en")} | ${points(firstPoints)} | ${seconds.toFixed(0)} | ${again.requests} | ${points(fake.pointsSpent())} |`,
      );
      await store.close();
    }
  } finally {
    await fake.stop();
  }
}
