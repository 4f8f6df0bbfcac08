/**
 * What a dbt sync costs (docs/benchmarks.md, "dbt artifacts"): BENCH_DBT_PROJECTS (default 20)
 * directories, each with jaffle-shop's real manifest.json (dbt 1.10, 1.1 MB) and run results
 * with failing tests, and sample_dbt's sources.json, synced into an embedded database three
 * times: a first sync, an unchanged one, and one after every file was rewritten with the same
 * bytes. Files stat'd and read, bytes hashed, records and the time of each, against the first.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { dbtSource } from "@/connectors/dbt/source";
import { ReadStats } from "@/connectors/dbt/streams";
import { openStore } from "@/db/client";
import { migrate } from "@/db/migrate";
import { parseConfig } from "@/lib/config/load";
import { runSync } from "@/lib/sync/run";
import { sourceSync } from "@/lib/sync/runner";

const PROJECTS = Number(process.env.BENCH_DBT_PROJECTS ?? 20);
const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), "..", "test", "fixtures", "dbt");

export async function run(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "shipshape-bench-dbt-"));
  const store = await openStore({ memory: true });
  try {
    await migrate(store);
    const results = JSON.parse(readFileSync(join(FIXTURES, "correlator-dbt", "test_run_results.json"), "utf8"));
    for (const [index, result] of results.results.entries()) if (index % 5 === 0 && result.unique_id.startsWith("test.")) Object.assign(result, { status: "fail", failures: 1, message: "Got 1 result, configured to fail if != 0" });
    const files: string[] = [];
    for (let project = 0; project < PROJECTS; project++) {
      const target = join(dir, `project-${project}`, "target");
      mkdirSync(target, { recursive: true });
      copyFileSync(join(FIXTURES, "correlator-dbt", "manifest.json"), join(target, "manifest.json"));
      writeFileSync(join(target, "run_results.json"), JSON.stringify({ ...results, metadata: { ...results.metadata, invocation_id: `${results.metadata.invocation_id}-${project}` } }));
      copyFileSync(join(FIXTURES, "datahub", "sample_dbt_sources_2.json"), join(target, "sources.json"));
      files.push(join(target, "manifest.json"), join(target, "run_results.json"), join(target, "sources.json"));
    }
    const config = parseConfig(
      `sources:\n  dbt:\n    paths: ["project-*/target/*.json"]\n    datasets:\n      orders: [model.jaffle_shop.orders, model.jaffle_shop.stg_orders, model.jaffle_shop.order_items, model.jaffle_shop.customers]\n      actors: [source.sample_dbt.pagila.actor]\n`,
      join(dir, "shipshape.yaml"),
      {},
    );
    const sync = async () => {
      const stats = new ReadStats();
      const started = performance.now();
      const result = await runSync("dbt", sourceSync("dbt", dbtSource({ stats })), { config, store, trigger: "manual", log: () => {} });
      if (result.errors.length) throw new Error(result.errors.join("\n"));
      const records = Object.values(result.records).reduce((sum, count) => sum + count, 0);
      return { stats, ms: performance.now() - started, records, requests: result.requests };
    };
    const first = await sync();
    const unchanged = await sync();
    const later = new Date(Date.now() + 60_000);
    for (const file of files) {
      writeFileSync(file, readFileSync(file));
      utimesSync(file, later, later);
    }
    const rewritten = await sync();
    console.log(`${PROJECTS} projects, ${files.length} files (${Math.round(files.length / 3)} manifests of 1.1 MB)\n`);
    console.log("| sync | files stat'd | files read | MB hashed | records | HTTP requests | ms | × first |");
    console.log("|---|---:|---:|---:|---:|---:|---:|---:|");
    for (const [name, run] of [["first", first], ["unchanged", unchanged], ["same bytes rewritten", rewritten]] as const) {
      const { stats } = run;
      console.log(`| ${name} | ${stats.filesStatted} | ${stats.filesRead} | ${(stats.bytesHashed / 1e6).toFixed(1)} | ${run.records} | ${run.requests} | ${Math.round(run.ms)} | ${(run.ms / first.ms).toFixed(3)} |`);
    }
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
