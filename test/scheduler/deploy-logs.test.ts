/**
 * The deploy_logs source reads each file incrementally: only complete new lines, again from the
 * start when the file was rotated or truncated, CSV resumed mid-file with its remembered header.
 */
import { appendFileSync, mkdirSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { sql } from "drizzle-orm";
import { expect, it } from "vitest";
import type { Config } from "@/lib/config/load";
import { parseConfig } from "@/lib/config/load";
import { runSync } from "@/lib/sync/run";
import { sourceSync } from "@/lib/sync/runner";
import { describeEachDriver } from "@/test/support/db";
import { deployLogDeployment } from "@/test/support/records";
import { testDir } from "@/test/support/temp";
import { badRecordLines, notUtf8Lines } from "@/test/ingest/corpus";

const deployment = (id: string, status = "success") => JSON.stringify(deployLogDeployment(id, { status }));

function setup(): { dir: string; config: Config } {
  const dir = testDir("deploy-logs");
  const path = join(dir, "shipshape.yaml");
  const config = parseConfig(`sources:\n  deploy_logs:\n    paths: [logs/*.jsonl, logs/*.csv]\n`, path, {});
  return { dir, config };
}

describeEachDriver("deploy_logs source", (store) => {
  const sync = (config: Config) => runSync("deploy_logs", sourceSync("deploy_logs"), { config, store: store(), trigger: "manual", log: () => {} });
  const deployments = async () =>
    (await store().rows<{ external_id: string; status: string }>(sql`SELECT external_id, status FROM deployments ORDER BY external_id`)).map(
      (row) => `${row.external_id}:${row.status}`,
    );

  it("ingests only complete new lines; a half-written line waits until it is complete", async () => {
    const { dir, config } = setup();
    const file = join(dir, "logs", "a.jsonl");
    mkdirLogs(dir);
    writeFileSync(file, `${deployment("d1")}\n${deployment("d2").slice(0, 30)}`);
    expect((await sync(config)).records).toEqual({ [file]: 1 });
    expect(await deployments()).toEqual(["d1:success"]);

    appendFileSync(file, `${deployment("d2").slice(30)}\n${deployment("d3")}\n`);
    const second = await sync(config);
    expect(second).toMatchObject({ status: "succeeded", records: { [file]: 2 } });
    expect(await deployments()).toEqual(["d1:success", "d2:success", "d3:success"]);

    expect((await sync(config)).records).toEqual({});
  });

  it("reads a rotated file and a truncated file again from the start", async () => {
    const { dir, config } = setup();
    mkdirLogs(dir);
    const file = join(dir, "logs", "a.jsonl");
    writeFileSync(file, `${deployment("d1")}\n${deployment("d2")}\n`);
    expect((await sync(config)).records).toEqual({ [file]: 2 });

    // Rotated: the old file moves away (out of the globs), a new one takes its name.
    renameSync(file, join(dir, "logs", "a.jsonl.1"));
    writeFileSync(file, `${deployment("d3")}\n`);
    expect((await sync(config)).records).toEqual({ [file]: 1 });

    // Truncated in place (copytruncate) and written again, shorter than before.
    writeFileSync(file, `${deployment("d1", "failure")}\n`);
    expect((await sync(config)).records).toEqual({ [file]: 1 });
    // Truncated and rewritten longer than what was read: its first bytes changed.
    writeFileSync(file, `${deployment("d4")}\n${deployment("d5")}\n${deployment("d6")}\n`);
    expect((await sync(config)).records).toEqual({ [file]: 3 });
    expect(await deployments()).toEqual(["d1:failure", "d2:success", "d3:success", "d4:success", "d5:success", "d6:success"]);
  });

  it("resumes a CSV file mid-way with its header, and keeps the file's line numbers in rejections", async () => {
    const { dir, config } = setup();
    mkdirLogs(dir);
    const file = join(dir, "logs", "deployments.csv");
    writeFileSync(file, "id,service,environment,status,finished_at\nc1,api,production,success,2026-03-01T10:00:00Z\n");
    expect((await sync(config)).records).toEqual({ [file]: 1 });
    appendFileSync(file, "c2,api,production,failure,2026-03-02T10:00:00Z\nc3,api,production,success,2026-03-02T10:00:00\n");
    expect((await sync(config)).records).toEqual({ [file]: 1, [`${file}:rejected`]: 1 });
    expect(await deployments()).toEqual(["c1:success", "c2:failure"]);
    const rejections = await store().rows<{ origin: string; line: number }>(sql`SELECT origin, line FROM ingest_rejections`);
    expect(rejections).toEqual([{ origin: file, line: 4 }]);
  });

  it("rejects as files and HTTP do: bad numbers, times out of order, bad UTF-8, a bad CSV header on every run", async () => {
    const { dir, config } = setup();
    mkdirLogs(dir);
    const jsonl = join(dir, "logs", "bad.jsonl");
    const lines = [...badRecordLines.map(([text]) => Buffer.from(text)), ...notUtf8Lines.map(([bytes]) => bytes)];
    writeFileSync(jsonl, Buffer.concat(lines.flatMap((bytes) => [bytes, Buffer.from("\n")])));
    const csv = join(dir, "logs", "incidents.csv");
    writeFileSync(csv, 'id,"started_at\ni1,2026-03-01T10:00:00Z\n');
    await sync(config);
    appendFileSync(csv, "i2,2026-03-01T11:00:00Z\n");
    await sync(config);
    const rejections = await store().rows<{ origin: string; line: number; reason: string }>(
      sql`SELECT origin, line, reason FROM ingest_rejections ORDER BY origin, line`,
    );
    const header = "the header (line 1) is not valid CSV (a quote is not closed, or is not at the start and end of a cell)";
    expect(rejections).toEqual([
      ...[...badRecordLines.map(([, reason]) => reason), ...notUtf8Lines.map(([, reason]) => reason)].flatMap((reason, index) =>
        reason ? [{ origin: jsonl, line: index + 1, reason }] : [],
      ),
      { origin: csv, line: 2, reason: header },
      { origin: csv, line: 3, reason: header },
    ]);
  });
});

function mkdirLogs(dir: string) {
  mkdirSync(join(dir, "logs"));
}
