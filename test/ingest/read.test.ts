import { mkdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { readDeployLog, type Entry } from "@/connectors/deploy-log";
import { deploymentLogTypes } from "@/db/schema";
import { MAX_NESTING } from "@/db/storable";
import { badRecordLines, deepLine, line, notUtf8Lines, required, valid, without, writeFiles } from "./corpus";

async function read(path: string): Promise<Entry[]> {
  const entries: Entry[] = [];
  for await (const entry of await readDeployLog(path)) entries.push(entry);
  return entries;
}

/** [line number, reason] of each rejection, and the line numbers accepted. */
async function outcome(path: string) {
  const entries = await read(path);
  return {
    accepted: entries.filter((entry) => entry.ok).map((entry) => entry.line),
    rejected: entries.flatMap((entry) => (entry.ok ? [] : [[entry.line, entry.reason]])),
  };
}

describe("reading JSON Lines", () => {
  it("rejects each kind of bad line with its line number and a one-line reason", async () => {
    const corpus: [string, string | null][] = [
      [line(valid.deployment), null],
      ["not json", `not JSON (Unexpected token 'o', "not json" is not valid JSON)`],
      [`{"type":"deployment","id":"d2"`, "not JSON (Expected ',' or '}' after property value in JSON at position 30)"],
      [line({ ...valid.deployment, type: "deploy" }), 'unknown type "deploy"'],
      [line(without(valid.deployment, "type")), "missing field type"],
      [line({ ...valid.deployment, type: 7 }), "type must be a string"],
      ["[1, 2]", "not a JSON object"],
      ["42", "not a JSON object"],
      [line({ ...valid.deployment, finished_at: "2026-03-01T10:00:00" }), "finished_at must be an ISO 8601 timestamp with an offset or Z"],
      [line({ ...valid.deployment, finished_at: "2026-03-01" }), "finished_at must be an ISO 8601 timestamp with an offset or Z"],
      [line({ ...valid.deployment, finished_at: 1772359200 }), "finished_at must be an ISO 8601 timestamp with an offset or Z (got 1772359200)"],
      [line({ ...valid.deployment, status: "ok" }), 'status must be one of success, failure, rolled_back (got "ok")'],
      [line({ ...valid.deployment, kind: "infra" }), 'kind must be one of code, model (got "infra")'],
      [line({ ...valid.deployment, hotfix: "yes" }), 'hotfix must be true or false (got "yes")'],
      [line({ ...valid.deployment, repo: "fraud-api" }), "repo must be owner/name"],
      [line({ ...valid.deployment, commit_sha: "xyz" }), "commit_sha must be a hexadecimal commit sha"],
      [line({ ...valid.deployment, service: 5 }), "service must be a string (got 5)"],
      [line({ ...valid.deployment, service: " " }), "service must not be empty"],
      [line({ ...valid.incident, resolved_at: "2026-03-01T09:59:59Z" }), "resolved_at is before started_at"],
      [line({ ...valid.incident, started_at: "2026-03-01 10:00:00+01:00" }), "started_at must be an ISO 8601 timestamp with an offset or Z"],
      [line({ ...valid.data_quality_issue, resolved_at: "2026-03-01T09:00:00Z" }), "resolved_at is before detected_at"],
      [line({ ...valid.model_metric, value: "0.91" }), 'value must be a number (got "0.91")'],
      [line({ ...valid.model_metric, direction: "up" }), 'direction must be one of higher, lower (got "up")'],
      [line({ ...valid.model_sla, limit: null, direction: "avg" }), 'missing field limit; direction must be one of max, min (got "avg")'],
      [line({ ...valid.data_refresh, status: "rolled_back" }), 'status must be one of success, failure (got "rolled_back")'],
      [line({ ...valid.data_refresh, rows: 1.5 }), "rows must be a whole number (got 1.5)"],
      [line({ ...valid.data_refresh, rows: -1 }), "rows must not be negative"],
      [line({ type: "deployment" }), "missing field id; missing field service; missing field environment; missing field status; missing field finished_at"],
      [line({ ...valid.incident, id: "i2", resolved_at: null }), null],
      [deepLine(valid.deployment), `nested too deep (more than ${MAX_NESTING} levels of arrays and objects)`],
      // A required field nested too deep: its value is never described (that would serialize it).
      [deepLine(without(valid.deployment, "service"), "service"), `nested too deep (more than ${MAX_NESTING} levels of arrays and objects)`],
      // The record is level 1: a field with 63 levels of arrays is the most there may be.
      [deepLine(valid.deployment, "extra", MAX_NESTING - 1), null],
      [deepLine(valid.deployment, "extra", MAX_NESTING), `nested too deep (more than ${MAX_NESTING} levels of arrays and objects)`],
      ...badRecordLines,
    ];
    const files = writeFiles({ "log.jsonl": corpus.map(([text]) => text).join("\n") });
    expect(await outcome(files["log.jsonl"]!)).toEqual({
      accepted: corpus.flatMap(([, reason], index) => (reason ? [] : [index + 1])),
      rejected: corpus.flatMap(([, reason], index) => (reason ? [[index + 1, reason]] : [])),
    });
  });

  it("rejects a line that is not valid UTF-8, saying where, and keeps a sent U+FFFD", async () => {
    const good = Buffer.from(line({ ...valid.incident, id: "i-\uFFFD", title: "caf\u00e9 \uFFFD" }));
    const files = writeFiles({ "bytes.jsonl": Buffer.concat([...notUtf8Lines.map(([bytes]) => Buffer.concat([bytes, Buffer.from("\n")])), good]) });
    const entries = await read(files["bytes.jsonl"]!);
    expect(entries.map((entry) => [entry.line, entry.ok ? "ok" : entry.reason])).toEqual([
      ...notUtf8Lines.map(([, reason], index) => [index + 1, reason]),
      [notUtf8Lines.length + 1, "ok"],
    ]);
    // The rejected line is kept with U+FFFD where its bad bytes were, to show which line it was.
    expect(!entries[0]!.ok && entries[0]!.raw).toContain("caf\uFFFD");
    const last = entries.at(-1)!;
    expect(last.ok && last.type === "incident" && last.row.title).toBe("caf\u00e9 \uFFFD");
  });

  it("names each missing required field of every type", async () => {
    const lines = deploymentLogTypes.flatMap((type) => required[type]!.map((field) => ({ text: line(without(valid[type], field)), field })));
    const files = writeFiles({ "missing.jsonl": lines.map(({ text }) => text).join("\n") });
    const { rejected, accepted } = await outcome(files["missing.jsonl"]!);
    expect(accepted).toEqual([]);
    expect(rejected).toEqual(lines.map(({ field }, index) => [index + 1, `missing field ${field}`]));
  });

  it("accepts a valid record of every type and maps it to its table's row", async () => {
    const files = writeFiles({ "all.ndjson": deploymentLogTypes.map((type) => line(valid[type])).join("\n") });
    const entries = await read(files["all.ndjson"]!);
    expect(entries.map((entry) => entry.ok && [entry.type, entry.row.externalId])).toEqual([
      ["deployment", "d1"],
      ["incident", "i1"],
      ["model_metric", '["fraud-xgb","auc","production","2026-03-01T10:00:00.000Z"]'],
      ["model_sla", '["fraud-xgb","p99_latency_ms","2026-03-01T10:00:00.000Z"]'],
      ["data_refresh", '["transactions","2026-03-01T10:00:00.000Z"]'],
      ["data_quality_issue", "q1"],
    ]);
    const incident = entries[1]!;
    // Stored as written: the database reads the offset (the ingest tests check the stored instant).
    expect(incident.ok && incident.row).toMatchObject({ source: "deploy_log", startedAt: "2026-03-01T11:00:00+01:00", raw: valid.incident });
  });

  it("keys one instant written with two offsets the same, keeping digits finer than milliseconds", async () => {
    const files = writeFiles({
      "m.jsonl": [
        line({ ...valid.model_metric, observed_at: "2026-03-01T11:00:00.1234+01:00" }),
        line({ ...valid.model_metric, observed_at: "2026-03-01T10:00:00.123400Z" }),
      ].join("\n"),
    });
    const keys = (await read(files["m.jsonl"]!)).map((entry) => entry.ok && entry.row.externalId);
    expect(keys).toEqual(['["fraud-xgb","auc","production","2026-03-01T10:00:00.1234Z"]', '["fraud-xgb","auc","production","2026-03-01T10:00:00.1234Z"]']);
  });

  it("skips blank lines, strips a BOM and CRLF line ends, and keeps the file's line numbers", async () => {
    const text = `\uFEFF${line(valid.deployment)}\r\n\r\n   \r\nnot json\r\n${line(valid.incident)}\r\n`;
    const files = writeFiles({ "crlf.jsonl": Buffer.from(text, "utf8") });
    const entries = await read(files["crlf.jsonl"]!);
    expect(entries.map((entry) => [entry.line, entry.ok])).toEqual([
      [1, true],
      [4, false],
      [5, true],
    ]);
    expect(entries[1]).toMatchObject({ raw: "not json" });
  });

  it("reads nothing from an empty file", async () => {
    const files = writeFiles({ "empty.jsonl": "" });
    expect(await read(files["empty.jsonl"]!)).toEqual([]);
  });

  it("rejects a 10 MB line, keeping its first KiB, and reads on", async () => {
    const huge = line({ ...valid.deployment, id: "huge", service: "x".repeat(10 * 1024 * 1024) });
    const files = writeFiles({ "huge.jsonl": `${huge}\n${line(valid.deployment)}\n` });
    const entries = await read(files["huge.jsonl"]!);
    expect(entries.map((entry) => [entry.line, entry.ok ? "ok" : entry.reason])).toEqual([
      [1, "line is longer than 1 MiB"],
      [2, "ok"],
    ]);
    expect(!entries[0]!.ok && entries[0]!.raw).toBe(huge.slice(0, 1024));
  });
});

describe("reading CSV", () => {
  it("coerces cells, treats an empty cell as absent and takes the type from a type column", async () => {
    const files = writeFiles({
      "log.csv": [
        "type,id,service,environment,status,finished_at,hotfix,model,metric,value,observed_at",
        "deployment,d1,fraud-api,production,success,2026-03-01T10:00:00Z,TRUE,,,,",
        "model_metric,,,,,,,fraud-xgb,auc,0.91,2026-03-01T10:00:00Z",
        "model_metric,,,,,,,fraud-xgb,auc,high,2026-03-01T10:00:00Z",
        "deployment,d2,fraud-api,production,success,2026-03-01T10:00:00Z,maybe,,,,",
      ].join("\n"),
    });
    const entries = await read(files["log.csv"]!);
    expect(entries.map((entry) => [entry.line, entry.ok ? entry.type : entry.reason])).toEqual([
      [2, "deployment"],
      [3, "model_metric"],
      [4, 'value must be a number (got "high")'],
      [5, 'hotfix must be true or false (got "maybe")'],
    ]);
    expect(entries[0]!.ok && entries[0]!.row).toMatchObject({ hotfix: true, model: undefined });
    expect(entries[1]!.ok && entries[1]!.row).toMatchObject({ value: 0.91, environment: "production" });
  });

  it("takes the type from the file name when there is no type column", async () => {
    const header = "dataset,status,finished_at,rows";
    const row = "transactions,success,2026-03-01T10:00:00Z,1200";
    const files = writeFiles({
      "data-refreshes.csv": `${header}\n${row}\n`,
      "data_refresh_2026.csv": `${header}\n${row}\n`,
      "incident-2026.csv": "id,started_at\ni1,2026-03-01T10:00:00Z\n",
      "refreshes.csv": `${header}\n${row}\n`,
    });
    for (const name of ["data-refreshes.csv", "data_refresh_2026.csv"]) {
      const [entry] = await read(files[name]!);
      expect(entry!.ok && entry!.row).toMatchObject({ dataset: "transactions", rows: 1200 });
    }
    expect((await read(files["incident-2026.csv"]!)).map((entry) => entry.ok && entry.type)).toEqual(["incident"]);
    expect(await outcome(files["refreshes.csv"]!)).toEqual({
      accepted: [],
      rejected: [[2, "no type column, and the file name does not start with a record type (e.g. deployments.csv)"]],
    });
  });

  it("rejects rows of a header without a required column, rows with too few cells and stray quotes, and reads on", async () => {
    const files = writeFiles({
      "deployments.csv": Buffer.from(
        [
          "\uFEFFid,environment,status,finished_at",
          "d1,production,success,2026-03-01T10:00:00Z",
        ].join("\r\n"),
      ),
      "incidents.csv": [
        'id,started_at,title',
        'i1,2026-03-01T10:00:00Z,"Checkout, slow"',
        "i2,2026-03-01T10:00:00Z",
        'i3,2026-03-01T10:00:00Z,"unclosed',
        'i4,2026-03-01T10:00:00Z,"a"b',
        "",
        'i5,2026-03-01T10:00:00Z,"said ""hi"""',
      ].join("\r\n"),
    });
    expect(await outcome(files["deployments.csv"]!)).toEqual({ accepted: [], rejected: [[2, "missing field service"]] });
    expect(await outcome(files["incidents.csv"]!)).toEqual({
      accepted: [2, 7],
      rejected: [
        [3, "row has 2 cells, the header has 3 cells"],
        [4, "not valid CSV (a quote is not closed, or is not at the start and end of a cell)"],
        [5, "not valid CSV (a quote is not closed, or is not at the start and end of a cell)"],
      ],
    });
    const titles = (await read(files["incidents.csv"]!)).flatMap((entry) => (entry.ok && entry.type === "incident" ? [entry.row.title] : []));
    expect(titles).toEqual(["Checkout, slow", 'said "hi"']);
  });

  it("rejects every row of a file whose header cannot name the columns, with the header's problem", async () => {
    const rows = ["i1,2026-03-01T10:00:00Z,Checkout slow", "", "i2,2026-03-01T11:00:00Z,Search down"];
    const cases: [string, string | Buffer, string][] = [
      ["quote.csv", 'id,"started_at,title', 'the header (line 1) is not valid CSV (a quote is not closed, or is not at the start and end of a cell)'],
      ["text-after-quote.csv", 'id,"started_at"x,title', 'the header (line 1) is not valid CSV (a quote is not closed, or is not at the start and end of a cell)'],
      ["twice.csv", "id,started_at, id", 'the header (line 1) names the column "id" twice'],
      ["bytes.csv", Buffer.from([...Buffer.from("id,started_at,t"), 0xed, ...Buffer.from("tel")]), "the header (line 1) is not valid UTF-8 (0xED at byte 16)"],
      ["long.csv", `id,started_at,${"x".repeat(2 * 1024 * 1024)}`, "the header (line 1) is longer than 1 MiB"],
    ];
    for (const [name, header, reason] of cases) {
      const files = writeFiles({ [`incidents-${name}`]: Buffer.concat([Buffer.from(header), Buffer.from(`\n${rows.join("\n")}\n`)]) });
      expect(await outcome(files[`incidents-${name}`]!), name).toEqual({ accepted: [], rejected: [[2, reason], [4, reason]] });
    }
    // Blank lines before the header: it is the first line with something on it, and says so.
    const late = writeFiles({ "incidents.csv": `\n\nid,id\n${rows[0]}\n` });
    expect(await outcome(late["incidents.csv"]!)).toEqual({ accepted: [], rejected: [[4, 'the header (line 3) names the column "id" twice']] });
    // A row's own problem still comes first: it is the more precise reason.
    const own = writeFiles({ "incidents.csv": `id,"x\ni1,"unclosed\n` });
    expect(await outcome(own["incidents.csv"]!)).toEqual({ accepted: [], rejected: [[2, "not valid CSV (a quote is not closed, or is not at the start and end of a cell)"]] });
  });

  it("applies the JSON Lines rules to cells: out-of-range numbers as written, times out of order, bad UTF-8", async () => {
    const files = writeFiles({
      "log.csv": Buffer.concat([
        Buffer.from(
          [
            "type,id,service,environment,status,started_at,finished_at,model,metric,value,observed_at,dataset",
            "model_metric,,,,,,,fraud-xgb,auc,1e400,2026-03-01T10:00:00Z,",
            "model_metric,,,,,,,fraud-xgb,auc,-9e999,2026-03-01T10:00:00Z,",
            "deployment,d1,api,production,success,2026-03-01T10:00:01Z,2026-03-01T10:00:00Z,,,,,",
            "data_refresh,,,,success,2026-03-01T12:00:00Z,2026-03-01T10:00:00Z,,,,,transactions",
            "deployment,d2,api,production,success,2026-03-01T10:00:00Z,2026-03-01T10:00:00Z,,,,,",
            "deployment,d3,api,",
          ].join("\n"),
        ),
        Buffer.from([0xe9]),
        Buffer.from(",production,success,,2026-03-01T10:00:00Z,,,,,\n"),
      ]),
    });
    expect(await outcome(files["log.csv"]!)).toEqual({
      accepted: [6],
      rejected: [
        [2, "value is out of range: numbers go up to ±1.8e308 (got 1e400)"],
        [3, "value is out of range: numbers go up to ±1.8e308 (got -9e999)"],
        [4, "started_at is after finished_at"],
        [5, "started_at is after finished_at"],
        [7, "not valid UTF-8 (0xE9 at byte 19)"],
      ],
    });
  });

  it("rejects a 10 MB line and reads on", async () => {
    const files = writeFiles({
      "incidents.csv": `id,started_at,title\ni1,2026-03-01T10:00:00Z,${"x".repeat(10 * 1024 * 1024)}\ni2,2026-03-01T10:00:00Z,ok\n`,
    });
    expect(await outcome(files["incidents.csv"]!)).toEqual({ accepted: [3], rejected: [[2, "line is longer than 1 MiB"]] });
  });
});

describe("opening a file", () => {
  it("refuses a missing file, a directory and an unknown extension before reading", async () => {
    const files = writeFiles({ "log.txt": "" });
    await expect(readDeployLog(`${files.dir}/missing.jsonl`)).rejects.toThrow("no such file");
    mkdirSync(`${files.dir}/folder.jsonl`);
    await expect(readDeployLog(`${files.dir}/folder.jsonl`)).rejects.toThrow("is not a file");
    await expect(readDeployLog(files["log.txt"]!)).rejects.toThrow('unknown file type ".txt" (use .jsonl, .ndjson, .json or .csv)');
  });
});
