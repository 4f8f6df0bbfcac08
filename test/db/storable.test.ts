import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { deployments, ingestRejections, workItems } from "@/db/schema";
import { MAX_NESTING, NESTING_CUT, nestedDeeperThan, storable, storableJson, storableText } from "@/db/storable";
import { upsertRecords } from "@/db/upsert";
import { describeEachDriver } from "@/test/support/db";

/** `levels` arrays nested in one another around `inner`. */
const nested = (levels: number, inner: unknown = 1): unknown => {
  let value = inner;
  for (let level = 0; level < levels; level++) value = [value];
  return value;
};

describe("storable", () => {
  it("removes U+0000 and lone surrogates from strings, keys included, and keeps paired surrogates", () => {
    const value = { "ti\u0000tle": "ends in NUL\u0000", cut: "half an emoji \ud83d", low: "\ude00 alone", emoji: "ok \ud83d\ude00", list: ["a\u0000b", 1, null, true] };
    expect(storable(value)).toEqual({ title: "ends in NUL", cut: "half an emoji ", low: " alone", emoji: "ok \ud83d\ude00", list: ["ab", 1, null, true] });
    expect(storableText("\u0000\u0000")).toBe("");
    expect(storableText("\udc00\ud800")).toBe("");
  });

  it("returns a value that needs nothing as it is, without copying it", () => {
    const value = { title: "plain", emoji: "\ud83d\ude00" };
    expect(storable(value)).toBe(value);
    expect(storableJson(value)).toBe(JSON.stringify(value));
    // A backslash before "u0000" is text, not a NUL: it is kept.
    expect(storable({ path: "C:\\u0000" })).toEqual({ path: "C:\\u0000" });
  });

  it("cuts a value nested deeper than the limit instead of overflowing the stack", () => {
    expect(() => JSON.stringify(nested(8000))).toThrow(RangeError);
    const cut = storable({ deep: nested(8000) }) as { deep: unknown };
    // The record object is level 1, so `deep` keeps MAX_NESTING - 1 levels of arrays.
    expect(cut.deep).toEqual(nested(MAX_NESTING - 1, NESTING_CUT));
    expect(storableJson(nested(8000))).toBe(JSON.stringify(nested(MAX_NESTING, NESTING_CUT)));
    // Exactly at the limit nothing is cut.
    expect(storable(nested(MAX_NESTING))).toEqual(nested(MAX_NESTING));
  });

  it("tells how deep a value is, stopping at the limit", () => {
    expect(nestedDeeperThan(nested(3), 3)).toBe(false);
    expect(nestedDeeperThan(nested(4), 3)).toBe(true);
    expect(nestedDeeperThan({ a: { b: {} } }, 2)).toBe(true);
    expect(nestedDeeperThan("text", 0)).toBe(false);
    expect(nestedDeeperThan(nested(1_000_000), MAX_NESTING)).toBe(true);
  });
});

const deployment = (id: string, fields: Record<string, unknown> = {}) => ({
  source: "deploy_log",
  externalId: id,
  raw: { id, ...fields },
  service: "api",
  environment: "production",
  status: "success",
  finishedAt: "2026-03-01T10:00:00Z",
  ...fields,
});

describeEachDriver("storing text the database refuses", (store) => {
  it("stores a batch whose records hold U+0000 and lone surrogates in columns, raw payloads and arrays, and counts them", async () => {
    const counts = await upsertRecords(store(), deployments, [
      deployment("plain"),
      deployment("nul", { version: "1.0\u0000", service: "ap\u0000i" }),
      deployment("surrogate", { version: "v\ud83d" }),
    ]);
    expect(counts).toEqual({ inserted: 3, updated: 0, unchanged: 0 });
    const rows = await store().rows<{ external_id: string; service: string; version: string | null; raw: unknown }>(
      sql`SELECT external_id, service, version, raw FROM deployments ORDER BY external_id`,
    );
    expect(rows).toEqual([
      { external_id: "nul", service: "api", version: "1.0", raw: { id: "nul", version: "1.0", service: "api" } },
      { external_id: "plain", service: "api", version: null, raw: { id: "plain" } },
      { external_id: "surrogate", service: "api", version: "v", raw: { id: "surrogate", version: "v" } },
    ]);
    // The same records again are unchanged: what is compared is what was stored.
    expect(await upsertRecords(store(), deployments, [deployment("nul", { version: "1.0\u0000", service: "ap\u0000i" })])).toEqual({ inserted: 0, updated: 0, unchanged: 1 });
  });

  it("stores labels and JSON keys with U+0000, and ids that become one key as one row", async () => {
    const item = (id: string, title: string) => ({
      source: "github",
      externalId: id,
      raw: { "body\u0000": "text\u0000", title },
      container: "acme/api",
      key: "1",
      title,
      labels: ["bug\u0000", "ui"],
      status: "open",
      createdAt: "2026-03-01T10:00:00Z",
      updatedAt: "2026-03-01T10:00:00Z",
    });
    await upsertRecords(store(), workItems, [item("1\u0000", "first"), item("1", "second")]);
    const rows = await store().rows<{ external_id: string; title: string; labels: string[]; raw: unknown }>(sql`SELECT external_id, title, labels, raw FROM work_items`);
    expect(rows).toEqual([{ external_id: "1", title: "second", labels: ["bug", "ui"], raw: { body: "text", title: "second" } }]);
  });

  it("stores a record nested too deep with the deep part cut", async () => {
    expect(await upsertRecords(store(), deployments, [deployment("deep", { extra: nested(8000) })])).toMatchObject({ inserted: 1 });
    const [row] = await store().rows<{ raw: { extra: unknown } }>(sql`SELECT raw FROM deployments`);
    expect(row!.raw.extra).toEqual(nested(MAX_NESTING - 1, NESTING_CUT));
  });

  it("is needed: the database refuses U+0000 in text that was not cleaned", async () => {
    await expect(store().db.insert(ingestRejections).values({ origin: "x", line: 1, raw: "a\u0000b", rawHash: "h", reason: "r" })).rejects.toThrow();
  });
});
