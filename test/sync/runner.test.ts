/**
 * The stream contract as the runner keeps it, with a small source written in the test: states
 * saved after what was emitted before them is stored, UNCHANGED keeping the saved state, a
 * stream reading an earlier stream's cursor, a failing partition failing alone, and a failure
 * that stops the source still reporting what was stored and requested.
 */
import { sql } from "drizzle-orm";
import { z } from "zod";
import { expect, it } from "vitest";
import { UNCHANGED, upsert, type Source, type Stream } from "@/connectors/stream";
import { deployments } from "@/db/schema";
import { parseConfig } from "@/lib/config/load";
import { runSync } from "@/lib/sync/run";
import { sourceSync } from "@/lib/sync/runner";
import { describeEachDriver } from "@/test/support/db";

type Session = { requests: () => void; stopAt?: string; unchangedAt?: string };

const deployment = (id: string) => ({ source: "test", externalId: id, raw: { id }, service: "api", environment: "production", status: "success", finishedAt: "2026-03-01T10:00:00Z" });

/** Counts on by 2 per run and partition, one record per step, checkpointing each; one request per read. */
const counter: Stream<string, Session, { n: number }> = {
  name: "counter",
  cursor: z.object({ n: z.number() }),
  async read({ partition, session, state, emit }) {
    session.requests();
    if (partition === session.unchangedAt) return UNCHANGED;
    if (partition === "broken") throw new Error("the test source cannot read broken");
    if (partition === session.stopAt) throw Object.assign(new Error("credentials refused"), { stop: true });
    let n = state?.cursor?.n ?? 0;
    for (const end = n + 2; n < end; ) {
      n++;
      await emit([upsert(deployments, [deployment(`${partition}-${n}`)], { key: `${partition}:counter` })], { cursor: { n }, etag: null });
    }
    return UNCHANGED;
  },
};

/** Writes down the counter's cursor as this run left it. */
const follower: Stream<string, Session, { seen: number }> = {
  name: "follower",
  cursor: z.object({ seen: z.number() }),
  async read({ upstream }) {
    return { cursor: { seen: upstream(counter).n }, etag: null };
  },
};

/** Partitions a, broken and c; one request per stream read (as a client would count them). */
function testSource(session: Omit<Session, "requests">): Source<string, Session, unknown> {
  return {
    title: "Test",
    records: "test",
    origin: () => "here",
    open: async (setup) => ({ ...session, requests: setup.requests.add }),
    partitions: async () => ["a", "broken", "c"],
    key: (partition) => partition,
    streams: [counter, follower],
    describeFailure: (error) => ({ message: (error as Error).message, stopsSource: (error as { stop?: boolean }).stop }),
  };
}

const config = parseConfig(`sources:\n  deploy_logs:\n    paths: [none/*.jsonl]\n`, "shipshape.yaml", {});

describeEachDriver("the stream runner", (store) => {
  const run = (session: Omit<Session, "requests">) =>
    runSync("deploy_logs", sourceSync("deploy_logs", testSource(session)), { config, store: store(), trigger: "manual", log: () => {} });
  const states = async () =>
    Object.fromEntries((await store().rows<{ stream: string; cursor: unknown }>(sql`SELECT stream, cursor FROM stream_states ORDER BY stream`)).map((row) => [row.stream, row.cursor]));

  it("saves each checkpoint, hands a stream the cursor of the one before it, and fails a broken partition alone", async () => {
    const first = await run({});
    expect(first.status).toBe("partial");
    expect(first.errors).toEqual(["broken: the test source cannot read broken"]);
    expect(first.records).toEqual({ "a:counter": 2, "c:counter": 2 });
    expect(first.requests).toBe(3);
    expect(await states()).toEqual({ "a:counter": { n: 2 }, "a:follower": { seen: 2 }, "c:counter": { n: 2 }, "c:follower": { seen: 2 } });

    // UNCHANGED keeps a's saved state, and the follower still reads it.
    const second = await run({ unchangedAt: "a" });
    expect(second.records).toEqual({ "c:counter": 2 });
    expect(await states()).toMatchObject({ "a:counter": { n: 2 }, "a:follower": { seen: 2 }, "c:counter": { n: 4 }, "c:follower": { seen: 4 } });
  });

  it("stops at a failure that stops the source, and the run still counts what it stored and sent", async () => {
    const result = await run({ stopAt: "c" });
    expect(result.status).toBe("failed");
    // broken failed on its own before; c stops the source (no partition prefix: it is not c's alone).
    expect(result.errors).toEqual(["broken: the test source cannot read broken", "credentials refused"]);
    expect(result.records).toEqual({ "a:counter": 2 });
    expect(result.requests).toBe(3);
    const [row] = await store().rows(sql`SELECT status, records, requests FROM sync_runs`);
    expect(row).toEqual({ status: "failed", records: { "a:counter": 2 }, requests: 3 });
  });
});
