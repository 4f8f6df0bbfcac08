/**
 * The real `shipshape` command in a child process, on an embedded database in a temporary
 * directory: what it prints and its exit codes (inputs.md).
 */
import { execFile } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { COMMANDS_TIMEOUT } from "@/test/support/cli";
import { badRecordLines, deepLine, line, notUtf8Lines, valid, writeFiles } from "./corpus";

const BIN = resolve(__dirname, "../../bin/shipshape.js");

function shipshape(args: string[], cwd: string, env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  const { DATABASE_URL: _url, SHIPSHAPE_CONFIG: _config, ...inherited } = process.env;
  return new Promise((done) => {
    execFile(process.execPath, [BIN, ...args], { env: { ...inherited, ...env }, cwd }, (error, stdout, stderr) =>
      done({ code: error ? Number(error.code) : 0, stdout, stderr }),
    );
  });
}

describe("shipshape ingest", () => {
  it("exits 0 when all lines are accepted, 3 when some are rejected, 1 when a file cannot be read", { timeout: COMMANDS_TIMEOUT }, async () => {
    const files = writeFiles({
      "good.jsonl": [line(valid.deployment), line(valid.incident)].join("\n"),
      "mixed.jsonl": [line({ ...valid.deployment, id: "d2" }), "not json", line({ ...valid.incident, started_at: "2026-03-01T10:00:00" })].join("\n"),
      "shipshape.yaml": "timezone: UTC\n",
    });
    const env = { SHIPSHAPE_DATA_DIR: join(files.dir, "data"), SHIPSHAPE_CONFIG: files["shipshape.yaml"]! };

    expect(await shipshape(["ingest", "good.jsonl"], files.dir, env)).toEqual({
      code: 0,
      stdout: "good.jsonl: 2 records (deployment 1 inserted; incident 1 inserted), 0 lines rejected\n",
      stderr: "",
    });
    expect(await shipshape(["ingest", "good.jsonl", "mixed.jsonl"], files.dir, env)).toEqual({
      code: 3,
      stdout:
        "good.jsonl: 2 records (deployment 1 unchanged; incident 1 unchanged), 0 lines rejected\n" +
        "mixed.jsonl: 1 record (deployment 1 inserted), 2 lines rejected\n",
      stderr:
        `mixed.jsonl:2: not JSON (Unexpected token 'o', "not json" is not valid JSON)\n` +
        "mixed.jsonl:3: started_at must be an ISO 8601 timestamp with an offset or Z\n",
    });
    expect(await shipshape(["ingest", "missing.jsonl", "good.jsonl"], files.dir, env)).toEqual({
      code: 1,
      stdout: "good.jsonl: 2 records (deployment 1 unchanged; incident 1 unchanged), 0 lines rejected\n",
      stderr: "shipshape: missing.jsonl: no such file\n",
    });

    const listed = await shipshape(["rejections", "--origin", "mixed.jsonl", "--json"], files.dir, env);
    expect(listed.code).toBe(0);
    expect(JSON.parse(listed.stdout).map((row: { origin: string; line: number; raw: string }) => [row.origin, row.line, row.raw])).toEqual([
      [files["mixed.jsonl"], 2, "not json"],
      [files["mixed.jsonl"], 3, line({ ...valid.incident, started_at: "2026-03-01T10:00:00" })],
    ]);
  });

  it("rejects a line nested too deep, stores the others and reads the next files", { timeout: COMMANDS_TIMEOUT }, async () => {
    const files = writeFiles({
      "deep.jsonl": [line(valid.deployment), deepLine({ ...valid.deployment, id: "deep" }), line(valid.incident)].join("\n"),
      "next.jsonl": line({ ...valid.deployment, id: "d2" }),
      "shipshape.yaml": "timezone: UTC\n",
    });
    const env = { SHIPSHAPE_DATA_DIR: join(files.dir, "data"), SHIPSHAPE_CONFIG: files["shipshape.yaml"]! };
    expect(await shipshape(["ingest", "deep.jsonl", "next.jsonl"], files.dir, env)).toEqual({
      code: 3,
      stdout: "deep.jsonl: 2 records (deployment 1 inserted; incident 1 inserted), 1 line rejected\nnext.jsonl: 1 record (deployment 1 inserted), 0 lines rejected\n",
      stderr: "deep.jsonl:2: nested too deep (more than 64 levels of arrays and objects)\n",
    });
  });

  it("rejects bad text, out-of-range numbers and a bad CSV header with their reasons and exits 3", { timeout: COMMANDS_TIMEOUT }, async () => {
    const files = writeFiles({
      "bytes.jsonl": Buffer.concat([notUtf8Lines[0]![0], Buffer.from(`\n${badRecordLines[0]![0]}\n${line(valid.deployment)}\n`)]),
      "incidents.csv": "id,started_at,id\ni1,2026-03-01T10:00:00Z,x\n",
      "shipshape.yaml": "timezone: UTC\n",
    });
    const env = { SHIPSHAPE_DATA_DIR: join(files.dir, "data"), SHIPSHAPE_CONFIG: files["shipshape.yaml"]! };
    expect(await shipshape(["ingest", "bytes.jsonl", "incidents.csv"], files.dir, env)).toEqual({
      code: 3,
      stdout: "bytes.jsonl: 1 record (deployment 1 inserted), 2 lines rejected\nincidents.csv: 0 records, 1 line rejected\n",
      stderr:
        `bytes.jsonl:1: ${notUtf8Lines[0]![1]}\n` +
        `bytes.jsonl:2: ${badRecordLines[0]![1]}\n` +
        'incidents.csv:2: the header (line 1) names the column "id" twice\n',
    });
  });

  it("exits 1 on a bad configuration, before reading anything", async () => {
    const files = writeFiles({ "good.jsonl": line(valid.deployment) });
    writeFileSync(join(files.dir, "shipshape.yaml"), "timezone: Mars/Olympus\n");
    const result = await shipshape(["ingest", "good.jsonl"], files.dir, { SHIPSHAPE_CONFIG: "shipshape.yaml", SHIPSHAPE_DATA_DIR: join(files.dir, "data") });
    expect(result).toEqual({
      code: 1,
      stdout: "",
      stderr: "shipshape: shipshape.yaml:1:11: timezone is not an IANA time zone name (e.g. Europe/Berlin)\n",
    });
  });
});
