import { expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { deployments } from "@/db/schema";
import { upsertRecords } from "@/db/upsert";
import { describeEachDriver } from "@/test/support/db";

const deployment = (id: string, status: string) => ({
  source: "deploy_log",
  externalId: id,
  raw: { id, status },
  service: "api",
  environment: "production",
  status,
  finishedAt: "2026-03-01T10:00:00+01:00",
});

describeEachDriver("upsertRecords", (store) => {
  it("stores a record once, updates it when its content changes, and counts each case", async () => {
    expect(await upsertRecords(store(), deployments, [deployment("d1", "success"), deployment("d2", "success")])).toEqual({
      inserted: 2,
      updated: 0,
      unchanged: 0,
    });
    expect(await upsertRecords(store(), deployments, [deployment("d1", "success"), deployment("d2", "rolled_back")])).toEqual({
      inserted: 0,
      updated: 1,
      unchanged: 1,
    });
    const rows = await store().rows<{ external_id: string; status: string; finished_at: string }>(
      sql`SELECT external_id, status, to_char(finished_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI') AS finished_at FROM deployments ORDER BY external_id`,
    );
    expect(rows).toEqual([
      { external_id: "d1", status: "success", finished_at: "2026-03-01 09:00" },
      { external_id: "d2", status: "rolled_back", finished_at: "2026-03-01 09:00" },
    ]);
  });

  it("keeps the last of two records with one key in a batch", async () => {
    await upsertRecords(store(), deployments, [deployment("d1", "success"), deployment("d1", "failure")]);
    const rows = await store().rows<{ status: string }>(sql`SELECT status FROM deployments`);
    expect(rows).toEqual([{ status: "failure" }]);
  });
});
