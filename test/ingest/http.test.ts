import { brotliCompressSync, deflateSync, gzipSync } from "node:zlib";
import { sql } from "drizzle-orm";
import { beforeEach, expect, it } from "vitest";
import { POST } from "@/app/api/ingest/route";
import { parseConfig } from "@/lib/config/load";
import { createIngestToken, listIngestTokens, revokeIngestToken } from "@/lib/ingest/tokens";
import { setServerRuntime } from "@/lib/server/shared-runtime";
import { describeEachDriver } from "@/test/support/db";
import { MAX_NESTING } from "@/db/storable";
import { badRecordLines, deepLine, line, valid } from "./corpus";

const URL = "http://localhost/api/ingest";

describeEachDriver("POST /api/ingest", (store) => {
  let token: string;
  beforeEach(async () => {
    setServerRuntime({ config: parseConfig("timezone: UTC\n", "shipshape.yaml", {}), store: store() });
    ({ token } = await createIngestToken(store(), "ci"));
  });

  const post = (body: BodyInit | null, headers: Record<string, string> = {}) =>
    POST(new Request(URL, { method: "POST", body, headers: { authorization: `Bearer ${token}`, ...headers } }));

  it("stores JSON Lines and answers 200 with the count, marking the token used", async () => {
    const response = await post(`${line(valid.deployment)}\n\n${line(valid.incident)}\n`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ accepted: 2, rejected: [] });
    expect(await store().rows(sql`SELECT external_id FROM deployments UNION ALL SELECT external_id FROM incidents`)).toEqual([
      { external_id: "d1" },
      { external_id: "i1" },
    ]);
    const [listed] = await listIngestTokens(store());
    expect(listed!.lastUsedAt).not.toBeNull();
  });

  it("takes a JSON array, numbering records from 1", async () => {
    const response = await post(JSON.stringify([valid.model_metric, { ...valid.model_sla, limit: "200" }]));
    expect(response.status).toBe(207);
    expect(await response.json()).toEqual({ accepted: 1, rejected: [{ line: 2, error: 'limit must be a number (got "200")' }] });
  });

  it("answers 207 with the rejected lines, stores the good ones and keeps the bad ones once", async () => {
    const body = [line(valid.deployment), "{oops", line({ ...valid.deployment, id: "d2", finished_at: "2026-03-01T10:00:00" })].join("\n");
    for (let attempt = 0; attempt < 2; attempt++) {
      const response = await post(body);
      expect(response.status).toBe(207);
      expect(await response.json()).toEqual({
        accepted: 1,
        rejected: [
          { line: 2, error: "not JSON (Expected property name or '}' in JSON at position 1)" },
          { line: 3, error: "finished_at must be an ISO 8601 timestamp with an offset or Z" },
        ],
      });
    }
    expect(await store().rows(sql`SELECT external_id FROM deployments`)).toEqual([{ external_id: "d1" }]);
    expect(await store().rows(sql`SELECT origin, line FROM ingest_rejections ORDER BY line`)).toEqual([
      { origin: "http", line: 2 },
      { origin: "http", line: 3 },
    ]);
  });

  it("rejects a line nested 8,000 levels deep and stores the lines around it, as JSON Lines and as a JSON array", async () => {
    const tooDeep = `nested too deep (more than ${MAX_NESTING} levels of arrays and objects)`;
    const lines = [line(valid.deployment), deepLine({ ...valid.deployment, id: "deep" }), line(valid.incident)];
    const response = await post(lines.join("\n"));
    expect(response.status).toBe(207);
    expect(await response.json()).toEqual({ accepted: 2, rejected: [{ line: 2, error: tooDeep }] });

    const array = await post(`[${line({ ...valid.deployment, id: "d2" })},${deepLine({ ...valid.incident, id: "deep" })},${line({ ...valid.incident, id: "i2" })}]`);
    expect(array.status).toBe(207);
    expect(await array.json()).toEqual({ accepted: 2, rejected: [{ line: 2, error: tooDeep }] });

    expect(await store().rows(sql`SELECT external_id FROM deployments UNION ALL SELECT external_id FROM incidents ORDER BY 1`)).toEqual(
      ["d1", "d2", "i1", "i2"].map((external_id) => ({ external_id })),
    );
    const kept = await store().rows<{ line: number; raw: string; reason: string }>(sql`SELECT line, raw, reason FROM ingest_rejections ORDER BY id`);
    expect(kept.map(({ line, reason }) => [line, reason])).toEqual([
      [2, tooDeep],
      [2, tooDeep],
    ]);
    // The line as sent; the array's record as JSON, cut where it is too deep to write out.
    expect(kept[0]!.raw).toBe(lines[1]);
    expect(kept[1]!.raw).toContain("not stored]");
  });

  it("rejects an incident naming a project the configuration does not have", async () => {
    const response = await post(line({ ...valid.incident, project: "payments" }));
    expect(response.status).toBe(207);
    expect(await response.json()).toEqual({ accepted: 0, rejected: [{ line: 1, error: 'unknown project "payments" (projects: none configured)' }] });
  });

  it("answers 401 without a token, with an unknown one and with a revoked one", async () => {
    const body = line(valid.deployment);
    expect((await POST(new Request(URL, { method: "POST", body }))).status).toBe(401);
    expect((await post(body, { authorization: `Bearer ${token}x` })).status).toBe(401);
    expect((await post(body, { authorization: token })).status).toBe(401);
    const [listed] = await listIngestTokens(store());
    await revokeIngestToken(store(), listed!.id);
    const response = await post(body);
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({
      error: "missing or unknown ingest token (Authorization: Bearer <token>; create one with shipshape tokens create)",
    });
    expect(await store().rows(sql`SELECT id FROM deployments`)).toEqual([]);
  });

  it("answers 413 past 10 MiB, by Content-Length and by the bytes streamed", async () => {
    expect((await post(line(valid.deployment), { "content-length": String(11 * 1024 * 1024) })).status).toBe(413);
    const chunk = new TextEncoder().encode(`${line(valid.deployment)}\n`.repeat(1000));
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        sent += chunk.byteLength;
        if (sent > 12 * 1024 * 1024) controller.close();
        else controller.enqueue(chunk);
      },
    });
    const request = new Request(URL, { method: "POST", body: stream, headers: { authorization: `Bearer ${token}` }, duplex: "half" } as RequestInit);
    const response = await POST(request);
    expect(response.status).toBe(413);
    expect(await response.json()).toEqual({ error: "the body is larger than 10 MiB: send the records in smaller requests" });
    expect(await store().rows(sql`SELECT id FROM deployments`)).toEqual([]);
  });

  it("takes gzip, deflate and br bodies, and refuses a gzip bomb at 10 MiB of what it inflates to", async () => {
    const records = `${line(valid.deployment)}\n${line(valid.incident)}\n`;
    for (const [encoding, compress] of [["gzip", gzipSync], ["deflate", deflateSync], ["br", brotliCompressSync]] as const) {
      const response = await post(compress(records), { "content-encoding": encoding });
      expect([encoding, response.status, await response.json()]).toEqual([encoding, 200, { accepted: 2, rejected: [] }]);
    }
    // 1 GiB of zeros in 1 MB of gzip (1024 members of 1 MiB each); reading stops at the limit, so memory stays flat.
    const bomb = Buffer.concat(Array(1024).fill(gzipSync(Buffer.alloc(1024 * 1024), { level: 9 })));
    expect(bomb.length).toBeLessThan(1.1 * 1024 * 1024);
    const before = process.memoryUsage().rss;
    const response = await post(bomb, { "content-encoding": "gzip" });
    expect([response.status, await response.json()]).toEqual([413, { error: "the body is larger than 10 MiB: send the records in smaller requests" }]);
    expect(process.memoryUsage().rss - before).toBeLessThan(200 * 1024 * 1024);

    const broken = await post(gzipSync(records).subarray(0, 20), { "content-encoding": "gzip" });
    expect([broken.status, await broken.json()]).toEqual([400, { error: "the body is not valid gzip (unexpected end of file)" }]);
    const zstd = await post(records, { "content-encoding": "zstd" });
    expect([zstd.status, await zstd.json()]).toEqual([415, { error: 'Content-Encoding "zstd" is not supported here: send it as gzip, deflate, br or uncompressed' }]);
    expect(await store().rows(sql`SELECT external_id FROM deployments`)).toEqual([{ external_id: "d1" }]);
  });

  it("decodes a declared charset, rejects a line that is not UTF-8, and says what number was sent", async () => {
    const latin1 = Buffer.from(line({ ...valid.incident, title: "Caf\u00e9 down" }), "latin1");
    const declared = await post(latin1, { "content-type": "application/x-ndjson; charset=ISO-8859-1" });
    expect([declared.status, await declared.json()]).toEqual([200, { accepted: 1, rejected: [] }]);
    expect(await store().rows(sql`SELECT title FROM incidents`)).toEqual([{ title: "Caf\u00e9 down" }]);

    const utf16 = await post(Buffer.from(`\uFEFF${line(valid.deployment)}\n`, "utf16le"), { "content-type": "application/json; charset=utf-16" });
    expect([utf16.status, await utf16.json()]).toEqual([200, { accepted: 1, rejected: [] }]);

    const undeclared = await post(Buffer.concat([latin1, Buffer.from(`\n${badRecordLines[0]![0]}\n`)]));
    expect([undeclared.status, await undeclared.json()]).toEqual([
      207,
      { accepted: 0, rejected: [{ line: 1, error: "not valid UTF-8 (0xE9 at byte 83)" }, { line: 2, error: badRecordLines[0]![1] }] },
    ]);
    // A JSON array is one document: a bad byte anywhere refuses it, and nothing is stored.
    const array = await post(Buffer.concat([Buffer.from("["), latin1, Buffer.from("]")]));
    expect([array.status, await array.json()]).toEqual([400, { error: "the body is not valid UTF-8 (0xE9 at byte 84): a JSON array must be UTF-8 throughout" }]);
    // In an array the number as written is gone once parsed; the reason still says why.
    const inArray = await post(`[${badRecordLines[0]![0]}]`);
    expect(await inArray.json()).toEqual({ accepted: 0, rejected: [{ line: 1, error: "value is out of range: numbers go up to ±1.8e308" }] });
    const unknown = await post(line(valid.deployment), { "content-type": "application/json; charset=klingon" });
    expect([unknown.status, await unknown.json()]).toEqual([415, { error: 'charset "klingon" is not a text encoding Shipshape knows: send UTF-8' }]);
    const invalid = await post(Buffer.from([0x82, 0xa0, 0xff]), { "content-type": "application/json; charset=shift_jis" });
    expect([invalid.status, await invalid.json()]).toEqual([400, { error: "the body is not valid shift_jis, the charset its Content-Type declares" }]);
  });

  it("answers 400 to a body that is neither JSON Lines nor a JSON array", async () => {
    const cases: [string, string][] = [
      ["", "the body is empty: send JSON Lines or a JSON array of records"],
      ["type,id\ndeployment,d1", "the body is neither JSON Lines nor a JSON array"],
      ["[1, 2", "the body is not a valid JSON array (Expected ',' or ']' after array element in JSON at position 5)"],
    ];
    for (const [body, error] of cases) {
      const response = await post(body);
      expect(response.status).toBe(400);
      expect(await response.json()).toEqual({ error });
    }
    expect(await store().rows(sql`SELECT id FROM ingest_rejections`)).toEqual([]);
  });
});
