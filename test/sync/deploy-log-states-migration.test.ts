/**
 * Migration 0002: a deployment-log file's state, kept under the file's path before the stream
 * contract, moves to `<file>:lines`, so an upgraded server reads on where it was instead of
 * reading every file again.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "drizzle-orm";
import { expect, it } from "vitest";
import { migrate } from "@/db/migrate";
import { parseConfig } from "@/lib/config/load";
import { runSync } from "@/lib/sync/run";
import { sourceSync } from "@/lib/sync/runner";
import { describeEachDriver } from "@/test/support/db";

describeEachDriver("deploy-log states after migration 0002", (store) => {
  it("keeps a file's offset: the upgraded sync reads only the lines written since", async () => {
    const dir = mkdtempSync(join(tmpdir(), "shipshape-migration-"));
    try {
      mkdirSync(join(dir, "logs"));
      const file = join(dir, "logs", "a.jsonl");
      const line = (id: string) => JSON.stringify({ type: "deployment", id, service: "api", environment: "production", status: "success", finished_at: "2026-03-01T10:00:00Z" });
      writeFileSync(file, `${line("d1")}\n`);
      const config = parseConfig(`sources:\n  deploy_logs:\n    paths: [logs/*.jsonl]\n`, join(dir, "shipshape.yaml"), {});
      const sync = () => runSync("deploy_logs", sourceSync("deploy_logs"), { config, store: store(), trigger: "manual", log: () => {} });
      expect((await sync()).records).toEqual({ [file]: 1 });

      // The state as the version before wrote it (under the path), and 0002 (and those after it) not applied yet.
      await store().db.execute(sql`UPDATE stream_states SET stream = ${file} WHERE stream = ${`${file}:lines`}`);
      await store().db.execute(sql`DELETE FROM drizzle.__drizzle_migrations WHERE id NOT IN (SELECT id FROM drizzle.__drizzle_migrations ORDER BY id LIMIT 2)`);
      await migrate(store());

      expect(await store().rows(sql`SELECT stream FROM stream_states`)).toEqual([{ stream: `${file}:lines` }]);
      writeFileSync(file, `${line("d1")}\n${line("d2")}\n`);
      // d1 is not read again: only d2.
      expect((await sync()).records).toEqual({ [file]: 1 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
