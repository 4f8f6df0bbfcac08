/**
 * The dbt source against real artifacts of public dbt projects (test/fixtures/dbt/README.md):
 * jaffle-shop built with dbt 1.10 (manifest v12, run results v6), sample_dbt's freshness runs
 * (sources v3 from dbt 1.2 and 1.7), dbt-core's own run results v4–v6, and failing ones from
 * dbt 1.1. Failing tests of a mapped node become data-quality issues of its dataset (the node
 * is the test's attached_node), new max_loaded_at values refreshes; a bad or truncated file
 * fails only itself with one line, and every file is read once per content.
 */
import { copyFileSync, mkdirSync, readFileSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { sql } from "drizzle-orm";
import { expect, it } from "vitest";
import { dbtSource } from "@/connectors/dbt/source";
import { ReadStats } from "@/connectors/dbt/streams";
import { parseConfig, type Config } from "@/lib/config/load";
import { dataQualityIssues } from "@/lib/kpis/definitions/data-quality-issues";
import { dataRefreshFrequency } from "@/lib/kpis/definitions/data-refresh-frequency";
import { runSync } from "@/lib/sync/run";
import { sourceSync } from "@/lib/sync/runner";
import { contextFor } from "@/test/kpis/support";
import { describeEachDriver } from "@/test/support/db";
import { refuse } from "@/test/support/refuse";
import { testDir } from "@/test/support/temp";

const FIXTURES = join(import.meta.dirname, "..", "fixtures", "dbt");
const fixture = (path: string) => join(FIXTURES, path);

const CONFIG = `
timezone: UTC
projects:
  - slug: shop
    name: Jaffle shop
    datasets: [order_items, orders, customers, actors, payments]
sources:
  dbt:
    paths: [target/*.json, freshness/*.json]
    datasets:
      order_items: [model.jaffle_shop.stg_order_items]
      orders: [model.jaffle_shop.stg_orders]
      customers: [model.jaffle_shop.customers]
      actors: [source.sample_dbt.pagila.actor]
      payments: [source.sample_dbt.pagila.payment_p2020_05, source.sample_dbt.pagila.payment_p2020_06]
`;

/** A dbt project directory with target/ (and freshness/) as dbt leaves them. */
function project(): { dir: string; config: Config; target: (name: string) => string; freshness: (name: string) => string } {
  const dir = testDir("dbt");
  mkdirSync(join(dir, "target"));
  mkdirSync(join(dir, "freshness"));
  return {
    dir,
    config: parseConfig(CONFIG, join(dir, "shipshape.yaml"), {}),
    target: (name) => join(dir, "target", name),
    freshness: (name) => join(dir, "freshness", name),
  };
}

const FAILING_RELATIONSHIP = "test.jaffle_shop.relationships_stg_order_items_order_id__order_id__ref_stg_orders_.dbe9930c54";
const ERRORING_NOT_NULL = "test.jaffle_shop.not_null_customers_customer_id.5c9bf9911d";
const UNMAPPED_FAILING = "test.jaffle_shop.unique_stg_products_product_id.7d950a1467";
const FAILING_UNIT_TEST = "unit_test.jaffle_shop.orders.test_order_items_compute_to_bools_correctly";
const JAFFLE_INVOCATION = "1e651364-45a1-4a76-9f21-4b69fa49a65f";

/**
 * jaffle-shop's real `dbt test` results (dbt 1.10.15, all passing) with four results turned as a
 * failing run writes them (nothing else changed): a relationships test failing, a not_null test
 * erroring, a test of an unmapped model failing, a unit test failing.
 */
function failingJaffleResults(): string {
  const document = JSON.parse(readFileSync(fixture("correlator-dbt/test_run_results.json"), "utf8"));
  for (const result of document.results) {
    if (result.unique_id === FAILING_RELATIONSHIP || result.unique_id === UNMAPPED_FAILING) {
      Object.assign(result, { status: "fail", failures: 3, message: "Got 3 results, configured to fail if != 0" });
    }
    if (result.unique_id === ERRORING_NOT_NULL) Object.assign(result, { status: "error", failures: null, message: 'Runtime Error in test not_null_customers_customer_id (models/marts/customers.yml)\n  Catalog Error: Table with name customers does not exist!' });
    if (result.unique_id === FAILING_UNIT_TEST) Object.assign(result, { status: "fail", failures: 1, message: "actual differs from expected" });
  }
  return JSON.stringify(document, null, 2);
}

describeEachDriver("dbt source", (store) => {
  const sync = (config: Config, source = dbtSource()) => runSync("dbt", sourceSync("dbt", source), { config, store: store(), trigger: "manual", log: () => {} });
  const issues = () =>
    store().rows<{ external_id: string; dataset: string; detected_at: string; description: string }>(
      sql`SELECT external_id, dataset, to_char(detected_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS detected_at, description FROM data_quality_issues WHERE source = 'dbt' ORDER BY external_id`,
    );
  const refreshes = () =>
    store().rows<{ external_id: string; dataset: string; status: string; finished_at: string }>(
      sql`SELECT external_id, dataset, status, to_char(finished_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS finished_at FROM data_refreshes WHERE source = 'dbt' ORDER BY external_id`,
    );

  it("maps a failing test to the dataset of its attached_node (not its first depends_on node), an erroring one too; unit tests and unmapped nodes are no issue", async () => {
    const { config, target } = project();
    copyFileSync(fixture("correlator-dbt/manifest.json"), target("manifest.json"));
    writeFileSync(target("run_results.json"), failingJaffleResults());

    const result = await sync(config);
    expect(result).toMatchObject({ status: "succeeded", errors: [], records: { [target("run_results.json")]: 2 } });
    expect(await issues()).toEqual([
      {
        external_id: `${JAFFLE_INVOCATION}:${ERRORING_NOT_NULL}#customers`,
        dataset: "customers",
        detected_at: "2025-12-09T18:34:51.064443Z",
        description: `${ERRORING_NOT_NULL} could not run: Runtime Error in test not_null_customers_customer_id (models/marts/customers.yml)\n  Catalog Error: Table with name customers does not exist!`,
      },
      {
        // depends_on is [stg_orders, stg_order_items]; the test is attached to stg_order_items.
        external_id: `${JAFFLE_INVOCATION}:${FAILING_RELATIONSHIP}#order_items`,
        dataset: "order_items",
        detected_at: "2025-12-09T18:34:51.064443Z",
        description: `${FAILING_RELATIONSHIP} failed: Got 3 results, configured to fail if != 0`,
      },
    ]);
  });

  it("reads the real passing artifacts of dbt 1.8 and 1.10 (run results v5/v6 shapes) without an issue", async () => {
    const { config, target, dir } = project();
    copyFileSync(fixture("correlator-dbt/manifest.json"), target("manifest.json"));
    copyFileSync(fixture("correlator-dbt/test_run_results.json"), target("run_results.json"));
    copyFileSync(fixture("correlator-dbt/run_run_results.json"), target("run_results_models.json"));
    for (const version of ["v4", "v5", "v6"]) {
      mkdirSync(join(dir, "target", version));
      copyFileSync(fixture(`dbt-core/${version}/run_results.json`), join(dir, "target", version, "run_results.json"));
    }
    const withVersions = parseConfig(CONFIG.replace("paths: [target/*.json, freshness/*.json]", "paths: [target/*.json, target/*/run_results.json]"), config.path!, {});
    const result = await sync(withVersions);
    expect(result).toMatchObject({ status: "succeeded", errors: [], records: {} });
    expect(result.parts).toBe(6);
    expect(await issues()).toEqual([]);
  });

  it("makes each new max_loaded_at of a mapped source one refresh; a never-loaded table (0001-01-01) none; the same load seen by two freshness runs once", async () => {
    const { config, freshness } = project();
    copyFileSync(fixture("datahub/sample_dbt_sources.json"), freshness("sources-1.2.json"));
    copyFileSync(fixture("datahub/sample_dbt_sources_2.json"), freshness("sources-1.7.json"));
    const result = await sync(config);
    expect(result).toMatchObject({ status: "succeeded", errors: [] });
    // Both files saw the same two loads: the first file read stores them, the second nothing.
    expect(result.records).toEqual({ [freshness("sources-1.2.json")]: 2 });
    expect(await refreshes()).toEqual([
      { external_id: "source.sample_dbt.pagila.actor@2020-02-15T09:34:33.000Z#actors", dataset: "actors", status: "success", finished_at: "2020-02-15T09:34:33.000000Z" },
      { external_id: "source.sample_dbt.pagila.payment_p2020_05@2020-05-14T12:44:29.996577Z#payments", dataset: "payments", status: "success", finished_at: "2020-05-14T12:44:29.996577Z" },
    ]);

    // The next freshness run sees a new load of actor: one more refresh.
    const next = JSON.parse(readFileSync(fixture("datahub/sample_dbt_sources_2.json"), "utf8"));
    next.metadata.generated_at = "2021-06-19T21:38:36.384613Z";
    next.results[0].max_loaded_at = "2021-06-19T20:00:00+00:00";
    writeFileSync(freshness("sources-1.7.json"), JSON.stringify(next));
    expect((await sync(config)).records).toEqual({ [freshness("sources-1.7.json")]: 1 });
    expect((await refreshes()).map((row) => row.external_id)).toContain("source.sample_dbt.pagila.actor@2021-06-19T20:00:00.000Z#actors");
  });

  it("reads a file once per content: unchanged files cost a stat, a rewrite with the same bytes a read and nothing stored", async () => {
    const { config, target } = project();
    copyFileSync(fixture("correlator-dbt/manifest.json"), target("manifest.json"));
    writeFileSync(target("run_results.json"), failingJaffleResults());
    await sync(config);

    const unchanged = new ReadStats();
    expect(await sync(config, dbtSource({ stats: unchanged }))).toMatchObject({ status: "succeeded", records: {} });
    expect(unchanged).toMatchObject({ filesStatted: 2, filesRead: 0 });

    writeFileSync(target("run_results.json"), failingJaffleResults());
    utimesSync(target("run_results.json"), new Date(), new Date(Date.now() + 5000));
    const rewritten = new ReadStats();
    expect(await sync(config, dbtSource({ stats: rewritten }))).toMatchObject({ status: "succeeded", records: {} });
    expect(rewritten).toMatchObject({ filesStatted: 2, filesRead: 1 });
    expect(await issues()).toHaveLength(2);
  });

  it("fails a truncated, an unknown-version and an ill-typed file each with one line, and stores the good files", async () => {
    const { config, target, freshness } = project();
    copyFileSync(fixture("correlator-dbt/manifest.json"), target("manifest.json"));
    const failing = failingJaffleResults();
    writeFileSync(target("run_results.json"), failing);
    // A run killed while dbt wrote the file: the first 5000 bytes.
    writeFileSync(target("run_results_truncated.json"), failing.slice(0, 5000));
    // dbt 0.19's sources.json (v1): before dbt 1.5.
    copyFileSync(fixture("datahub/dbt_sources.json"), freshness("old.json"));
    const illTyped = JSON.parse(readFileSync(fixture("datahub/sample_dbt_sources_2.json"), "utf8"));
    illTyped.results[3].status = "stale";
    writeFileSync(freshness("ill-typed.json"), JSON.stringify(illTyped));
    copyFileSync(fixture("datahub/sample_dbt_sources_2.json"), freshness("good.json"));
    writeFileSync(freshness("notes.json"), '{"owner": "data team"}');
    // dbt docs generate's catalog: an artifact with nothing to count, skipped without an error.
    writeFileSync(target("catalog.json"), JSON.stringify({ metadata: { dbt_schema_version: "https://schemas.getdbt.com/dbt/catalog/v1.json", dbt_version: "1.7.3" }, nodes: {}, sources: {}, errors: null }));

    const result = await sync(config);
    expect(result.status).toBe("partial");
    expect(result.errors).toEqual([
      `${freshness("ill-typed.json")}: results[3].status must be one of pass, warn, error, runtime error (got "stale")`,
      `${freshness("notes.json")}: not a dbt artifact: it has no metadata.dbt_schema_version`,
      `${freshness("old.json")}: unknown schema version https://schemas.getdbt.com/dbt/sources/v1.json (Shipshape reads run-results v4–v6, sources v3, manifest v9–v12: dbt 1.5 and later)`,
      expect.stringMatching(new RegExp(`^${escape(target("run_results_truncated.json"))}: not JSON \\(.+\\)$`)),
    ]);
    expect(result.errors.every((line) => !line.includes("\n") && !/\bat .+:\d+:\d+/.test(line))).toBe(true);
    expect(await issues()).toHaveLength(2);
    expect(await refreshes()).toHaveLength(2);

    // Fixed files are read again on the next run (their state stayed); the good ones are not.
    writeFileSync(target("run_results_truncated.json"), failing);
    const stats = new ReadStats();
    const again = await sync(config, dbtSource({ stats }));
    expect(again.errors).toHaveLength(3);
    expect(again.records).toEqual({});
    // The three still bad, the fixed one, and the (unchanged) manifest its failing tests need.
    expect(stats.filesRead).toBe(5);
  });

  it("fails run results whose failing tests have no manifest beside them, or one that lacks them, and reads them again once it is there", async () => {
    const { config, target } = project();
    // jaffle_shop run with dbt 1.1 (run results v4): one failing and two erroring dbt_expectations tests.
    copyFileSync(fixture("datahub/jaffle_shop_test_results.json"), target("run_results.json"));
    const result = await sync(config);
    expect(result).toMatchObject({ status: "failed" });
    expect(result.errors).toEqual([
      `${target("run_results.json")}: 3 failing tests need the manifest.json beside it to know what they test, and ${target("manifest.json")} is not among the files the paths match`,
    ]);

    // A manifest of another project has none of these tests.
    copyFileSync(fixture("correlator-dbt/manifest.json"), target("manifest.json"));
    const other = await sync(config);
    expect(other.status).toBe("partial");
    expect(other.errors).toEqual([
      `${target("run_results.json")}: 3 of its 3 failing tests are not in ${target("manifest.json")} (invocation ${JAFFLE_INVOCATION}; this run is c7a6b778-0e0f-4789-b567-ca7e124a6840): test.jaffle_shop.dbt_expectations_expect_column_values_to_be_between_customers_customer_id__20__0__customer_id_is_not_null__False.5702665c39, test.jaffle_shop.dbt_expectations_expect_column_values_to_be_in_set_customers_customer_id__customer_id_is_not_null__0__1__2.81450cfcd8, test.jaffle_shop.dbt_expectations_expect_column_values_to_not_be_in_set_orders_credit_card_amount__credit_card_amount_is_not_null__0.888b06036c; it is read again when a manifest that has them is there`,
    ]);
  });

  it("fails only the file whose record the database refuses, keeps its state, and stores it whole on the next run", async () => {
    const { config, target, freshness } = project();
    copyFileSync(fixture("correlator-dbt/manifest.json"), target("manifest.json"));
    writeFileSync(target("run_results.json"), failingJaffleResults());
    copyFileSync(fixture("datahub/sample_dbt_sources_2.json"), freshness("sources.json"));
    const refused = `${JAFFLE_INVOCATION}:${FAILING_RELATIONSHIP}#order_items`;
    const undo = await refuse(store(), "data_quality_issues", refused);
    try {
      const result = await sync(config);
      expect(result.status).toBe("partial");
      expect(result.errors).toEqual([`${target("run_results.json")}: the database refused data_quality_issues ${refused}: refused by the test (${refused})`]);
      expect(result.records).toEqual({ [target("run_results.json")]: 1, [freshness("sources.json")]: 2 });
      expect(await refreshes()).toHaveLength(2);
      const states = await store().rows<{ stream: string }>(sql`SELECT stream FROM stream_states WHERE source = 'dbt' ORDER BY stream`);
      expect(states.map((row) => row.stream)).toEqual([`${freshness("sources.json")}:artifact`, `${target("manifest.json")}:artifact`]);
    } finally {
      await undo();
    }
    // As a run killed before the file's state was saved: the next run reads the file again and stores what is missing.
    expect(await sync(config)).toMatchObject({ status: "succeeded", errors: [], records: { [target("run_results.json")]: 1 } });
    expect((await issues()).map((row) => row.dataset)).toEqual(["customers", "order_items"]);
  });

  it("feeds data_quality_issues and data_refresh_frequency: hand-computed over a window in UTC and in Europe/Berlin", async () => {
    const { config, target, freshness } = project();
    copyFileSync(fixture("correlator-dbt/manifest.json"), target("manifest.json"));
    writeFileSync(target("run_results.json"), failingJaffleResults());
    // Three freshness runs of actor: loads at 2025-12-08 22:30Z, 2025-12-09 23:30Z (00:30 on the 10th in Berlin) and 2025-12-10 12:00Z.
    const freshnessRun = (name: string, loadedAt: string) => {
      const document = JSON.parse(readFileSync(fixture("datahub/sample_dbt_sources_2.json"), "utf8"));
      document.results[0].max_loaded_at = loadedAt;
      writeFileSync(freshness(name), JSON.stringify(document));
    };
    freshnessRun("a.json", "2025-12-08T22:30:00+00:00");
    freshnessRun("b.json", "2025-12-09T23:30:00+00:00");
    freshnessRun("c.json", "2025-12-10T12:00:00+00:00");
    expect((await sync(config)).status).toBe("succeeded");

    // UTC, 8–9 December (2 days): both issues were detected on the 9th (18:34:51Z); actor was
    // refreshed at 22:30Z on the 8th and 23:30Z on the 9th → 2 ÷ 2 = 1 per day; payments'
    // only load (2020-05-14) is outside: 0, the weakest link.
    const utc = contextFor(config, "shop", { from: "2025-12-08", to: "2025-12-09", timezone: "UTC" });
    expect((await dataQualityIssues.compute(store(), utc))[0]).toMatchObject({ dimension: null, value: 2, sampleSize: 2 });
    const frequency = await dataRefreshFrequency.compute(store(), utc);
    expect(frequency.find((entry) => entry.dimension === "actors")).toEqual({ dimension: "actors", value: 1, sampleSize: 2 });
    expect(frequency[0]).toEqual({ dimension: null, value: 0, sampleSize: 0 });

    // Berlin, 9–10 December: [8 Dec 23:00Z, 10 Dec 23:00Z). The 22:30Z load is 23:30 on the 8th
    // there (out); 23:30Z on the 9th and 12:00Z on the 10th are in → 2 ÷ 2 = 1; both issues in.
    const berlin = contextFor(config, "shop", { from: "2025-12-09", to: "2025-12-10", timezone: "Europe/Berlin" });
    expect((await dataQualityIssues.compute(store(), berlin))[0]).toMatchObject({ value: 2 });
    expect((await dataRefreshFrequency.compute(store(), berlin)).find((entry) => entry.dimension === "actors")).toEqual({ dimension: "actors", value: 1, sampleSize: 2 });
    // Berlin, 10 December alone: [9 Dec 23:00Z, 10 Dec 23:00Z) holds both the 23:30Z and the 12:00Z
    // load → 2 per day; no issue (detected at 19:34 on the 9th there).
    const tenth = contextFor(config, "shop", { from: "2025-12-10", to: "2025-12-10", timezone: "Europe/Berlin" });
    expect((await dataQualityIssues.compute(store(), tenth))[0]).toMatchObject({ value: 0 });
    expect((await dataRefreshFrequency.compute(store(), tenth)).find((entry) => entry.dimension === "actors")).toEqual({ dimension: "actors", value: 2, sampleSize: 2 });
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
