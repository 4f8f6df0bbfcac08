import { resolve } from "node:path";
import { sql } from "drizzle-orm";
import { expect, it } from "vitest";
import { ingestFile, listRejections } from "@/lib/ingest/ingest";
import { describeEachDriver } from "@/test/support/db";
import { line, valid, writeFiles } from "./corpus";

const counts = (inserted: number, updated = 0, unchanged = 0, rejected = 0) => ({ inserted, updated, unchanged, rejected });
const none = counts(0);

describeEachDriver("ingest", (store) => {
  // Rows of different keys may be written by either of two connections: order by key, not id.
  const snapshot = async () => ({
    deployments: await store().rows(sql`SELECT id, external_id, status, finished_at::text, hotfix, raw, stored_at::text FROM deployments ORDER BY external_id`),
    incidents: await store().rows(sql`SELECT id, external_id, started_at::text, resolved_at::text, stored_at::text FROM incidents ORDER BY external_id`),
    metrics: await store().rows(sql`SELECT id, external_id, value, observed_at::text FROM model_metrics ORDER BY value`),
    rejections: await store().rows(sql`SELECT id, origin, line, raw, reason FROM ingest_rejections ORDER BY id`),
  });

  it("stores every good line once, keeps each bad line with its reason, and changes nothing the second time", async () => {
    const files = writeFiles({
      "log.jsonl": [
        line(valid.deployment),
        "not json",
        line({ ...valid.deployment, id: "d2", status: "failure", hotfix: true, finished_at: "2026-03-01T12:00:00+02:00" }),
        line({ ...valid.incident, resolved_at: "2026-03-01T08:00:00Z" }),
        line(valid.incident),
        line(valid.model_metric),
      ].join("\n"),
    });
    const first = await ingestFile(store(), files["log.jsonl"]!);
    expect(first).toEqual({
      accepted: 4,
      rejected: 2,
      types: { ...emptyTypes(), deployment: counts(2), incident: counts(1, 0, 0, 1), model_metric: counts(1) },
    });
    const before = await snapshot();
    expect(before.deployments.map(({ external_id, status, finished_at, hotfix }) => ({ external_id, status, finished_at, hotfix }))).toEqual([
      { external_id: "d1", status: "success", finished_at: "2026-03-01 10:00:00+00", hotfix: false },
      { external_id: "d2", status: "failure", finished_at: "2026-03-01 10:00:00+00", hotfix: true },
    ]);
    expect(before.deployments[1]!.raw).toEqual({ ...valid.deployment, id: "d2", status: "failure", hotfix: true, finished_at: "2026-03-01T12:00:00+02:00" });
    expect(before.rejections).toEqual([
      { id: 1, origin: resolve(files["log.jsonl"]!), line: 2, raw: "not json", reason: `not JSON (Unexpected token 'o', "not json" is not valid JSON)` },
      { id: 2, origin: resolve(files["log.jsonl"]!), line: 4, raw: line({ ...valid.incident, resolved_at: "2026-03-01T08:00:00Z" }), reason: "resolved_at is before started_at" },
    ]);

    const second = await ingestFile(store(), files["log.jsonl"]!);
    expect(second.types).toEqual({ ...emptyTypes(), deployment: counts(0, 0, 2), incident: counts(0, 0, 1, 1), model_metric: counts(0, 0, 1) });
    expect(await snapshot()).toEqual(before);
  });

  it("updates a record whose key comes again with other content", async () => {
    const files = writeFiles({
      "open.jsonl": line(valid.incident),
      "resolved.jsonl": line({ ...valid.incident, resolved_at: "2026-03-01T12:30:00+01:00" }),
    });
    await ingestFile(store(), files["open.jsonl"]!);
    const result = await ingestFile(store(), files["resolved.jsonl"]!);
    expect(result.types.incident).toEqual(counts(0, 1));
    const { incidents } = await snapshot();
    expect(incidents.map(({ external_id, started_at, resolved_at }) => ({ external_id, started_at, resolved_at }))).toEqual([
      { external_id: "i1", started_at: "2026-03-01 10:00:00+00", resolved_at: "2026-03-01 11:30:00+00" },
    ]);
  });

  it("keys records without an id by what they observe, not their value: a corrected value replaces the stored one", async () => {
    const files = writeFiles({
      "metrics.jsonl": [
        line(valid.model_metric),
        line({ ...valid.model_metric, observed_at: "2026-03-01T11:00:00+01:00", version: "v2" }),
        line({ ...valid.model_metric, environment: "staging", value: 0.5 }),
        line({ ...valid.model_sla, value: 180 }),
        line({ ...valid.data_refresh, status: "failure" }),
      ].join("\n"),
      "corrected.jsonl": [
        line({ ...valid.model_metric, value: 0.92 }),
        line({ ...valid.model_sla, value: 250, limit: 300 }),
        line({ ...valid.data_refresh, finished_at: "2026-03-01T12:00:00+02:00", rows: 10 }),
      ].join("\n"),
    });
    const first = await ingestFile(store(), files["metrics.jsonl"]!);
    // Lines 1 and 2 are one observation in one batch (one instant, two offsets): the later one is stored.
    expect(first.types).toMatchObject({ model_metric: counts(2, 0, 1), model_sla: counts(1), data_refresh: counts(1) });
    const corrected = await ingestFile(store(), files["corrected.jsonl"]!);
    expect(corrected.types).toMatchObject({ model_metric: counts(0, 1), model_sla: counts(0, 1), data_refresh: counts(0, 1) });
    expect(await store().rows(sql`SELECT environment, value, version FROM model_metrics ORDER BY environment`)).toEqual([
      { environment: "production", value: 0.92, version: null },
      { environment: "staging", value: 0.5, version: null },
    ]);
    expect(await store().rows(sql`SELECT value, "limit" FROM model_sla_observations`)).toEqual([{ value: 250, limit: 300 }]);
    expect(await store().rows(sql`SELECT status, rows::int AS rows FROM data_refreshes`)).toEqual([{ status: "success", rows: 10 }]);
  });

  it("stores CSV rows and rejections of a file with a BOM and CRLF line ends", async () => {
    const files = writeFiles({
      "deployments.csv": Buffer.from(
        "\uFEFFid,service,environment,status,finished_at,hotfix\r\nd1,fraud-api,production,success,2026-03-01T10:00:00Z,true\r\n\r\nd2,fraud-api,production\r\nd3,fraud-api,production,rolled_back,2026-03-02T10:00:00Z,\r\n",
      ),
    });
    const result = await ingestFile(store(), files["deployments.csv"]!);
    expect(result).toMatchObject({ accepted: 2, rejected: 1, types: { deployment: counts(2) } });
    const { deployments, rejections } = await snapshot();
    expect(deployments.map(({ external_id, status, hotfix }) => [external_id, status, hotfix])).toEqual([
      ["d1", "success", true],
      ["d3", "rolled_back", false],
    ]);
    expect(rejections.map(({ line, raw, reason }) => [line, raw, reason])).toEqual([[4, "d2,fraud-api,production", "row has 3 cells, the header has 6 cells"]]);
  });

  it("stores the first KiB of a 10 MB line as its raw text", async () => {
    const huge = line({ ...valid.deployment, service: "x".repeat(10 * 1024 * 1024) });
    const files = writeFiles({ "huge.jsonl": `${huge}\n${line(valid.incident)}\n` });
    const result = await ingestFile(store(), files["huge.jsonl"]!);
    expect(result).toMatchObject({ accepted: 1, rejected: 1 });
    const { rejections } = await snapshot();
    expect(rejections.map(({ line, raw, reason }) => [line, raw, reason])).toEqual([[1, huge.slice(0, 1024), "line is longer than 1 MiB"]]);
  });

  it("stores records whose text holds U+0000 or a lone surrogate, cleaned, and rejects only what the database cannot store", async () => {
    const lines = [
      line({ ...valid.incident, id: "i0" }),
      `${line({ ...valid.incident, id: "i1" }).slice(0, -1)},"title":"a\\u0000b","service":"fraud-api\\u0000"}`,
      line({ ...valid.incident, id: "i2", started_at: "0000-01-01T00:00:00Z" }),
      line({ ...valid.incident, id: "i3", title: "half an emoji \ud83d" }),
      `{"type":"incident","id":"i4","title":"\u0000`,
      line({ ...valid.deployment, id: "d\u0000", version: "1.2\u0000" }),
    ];
    const files = writeFiles({ "odd.jsonl": lines.join("\n") });
    const result = await ingestFile(store(), files["odd.jsonl"]!);
    expect(result).toMatchObject({ accepted: 4, rejected: 2, types: { incident: counts(3, 0, 0, 1), deployment: counts(1) } });
    const stored = await store().rows(sql`SELECT external_id, title, service, raw->>'title' AS raw_title FROM incidents ORDER BY external_id`);
    expect(stored).toEqual([
      { external_id: "i0", title: null, service: null, raw_title: null },
      { external_id: "i1", title: "ab", service: "fraud-api", raw_title: "ab" },
      { external_id: "i3", title: "half an emoji ", service: null, raw_title: "half an emoji " },
    ]);
    expect(await store().rows(sql`SELECT external_id, version, raw->>'id' AS raw_id FROM deployments`)).toEqual([{ external_id: "d", version: "1.2", raw_id: "d" }]);
    const { rejections } = await snapshot();
    const byLine = rejections.map(({ line, raw, reason }) => [line, raw, reason]).sort(([a], [b]) => Number(a) - Number(b));
    expect(byLine).toEqual([
      [3, lines[2], expect.stringMatching(/^the database cannot store this record \(.*0000.*\)$/)],
      // The kept line loses its NUL like every stored text.
      [5, `{"type":"incident","id":"i4","title":"`, expect.stringMatching(/^not JSON \(/)],
    ]);
  });

  it("ingests an empty file as nothing", async () => {
    const files = writeFiles({ "empty.jsonl": "" });
    expect(await ingestFile(store(), files["empty.jsonl"]!)).toEqual({ accepted: 0, rejected: 0, types: emptyTypes() });
  });

  it("lists stored rejections of one origin, given as written or absolute", async () => {
    const files = writeFiles({ "a.jsonl": "oops\n{}", "b.jsonl": "nope" });
    await ingestFile(store(), files["a.jsonl"]!);
    await ingestFile(store(), files["b.jsonl"]!);
    const listed = await listRejections(store(), { origin: files["a.jsonl"]!, limit: 10 });
    expect(listed.map(({ line, reason }) => [line, reason])).toEqual([
      [1, `not JSON (Unexpected token 'o', "oops" is not valid JSON)`],
      [2, "missing field type"],
    ]);
    expect(await listRejections(store(), { limit: 1 })).toHaveLength(1);
  });

  it("writes batches of many rows, later lines winning over earlier ones with the same key", async () => {
    const lines = Array.from({ length: 12_000 }, (_, index) => line({ ...valid.deployment, id: `d${index % 10_000}`, version: `v${index}` }));
    const files = writeFiles({ "many.jsonl": lines.join("\n") });
    const result = await ingestFile(store(), files["many.jsonl"]!);
    // 10,000 keys; lines 10,000–11,999 repeat d0–d1999 with new versions. Whether a repeat is
    // an update or meets its first line in the same batch (stored once, counted unchanged)
    // depends on batch boundaries; the stored rows do not.
    const { inserted, updated, unchanged } = result.types.deployment;
    expect([inserted, updated + unchanged]).toEqual([10_000, 2_000]);
    const [row] = await store().rows<{ count: number; d0: string; d1999: string; d2000: string }>(sql`
      SELECT count(*)::int AS count,
        max(version) FILTER (WHERE external_id = 'd0') AS d0,
        max(version) FILTER (WHERE external_id = 'd1999') AS d1999,
        max(version) FILTER (WHERE external_id = 'd2000') AS d2000
      FROM deployments`);
    expect(row).toEqual({ count: 10_000, d0: "v10000", d1999: "v11999", d2000: "v2000" });
  });
});

function emptyTypes() {
  return {
    deployment: none,
    incident: none,
    model_metric: none,
    model_sla: none,
    data_refresh: none,
    data_quality_issue: none,
  };
}
