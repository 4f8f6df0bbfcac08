import { expect, it } from "vitest";
import { deployments } from "@/db/schema";
import { upsertRecords } from "@/db/upsert";
import { parseConfig } from "@/lib/config/load";
import { cachedReport, cachedTrends, warmReports } from "@/lib/report/cache";
import { describeEachDriver } from "@/test/support/db";
import { deployment } from "@/test/support/records";

const config = parseConfig(
  `projects:
  - { slug: fraud, name: Fraud, timezone: Europe/Berlin, services: [api] }
`,
  "shipshape.yaml",
  {},
);
const now = new Date("2026-03-20T12:00:00Z");
const window = { project: "fraud", from: "2026-03-01", to: "2026-03-10", now };

/** A deployment of the project's service. */
const deploymentOfApi = (id: string, finishedAt: string) => deployment(id, finishedAt, { service: "api" });

/**
 * Whether `read` is served from the cache when nothing changes. On PostgreSQL the snapshot is
 * the server's, so a write to another database on it (another test file running at the same
 * time) also, rightly conservatively, empties the cache. A busy neighbour can write for many
 * seconds on end, so pairs of back-to-back reads are tried for up to a minute: one pair must be
 * the same object. A cache that never serves fails after that minute.
 */
async function servedFromCache<T>(read: () => Promise<T>): Promise<boolean> {
  const deadline = Date.now() + 60_000;
  do {
    const first = await read();
    if ((await read()) === first) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  } while (Date.now() < deadline);
  return false;
}

const deploymentsIn = (report: Awaited<ReturnType<typeof cachedReport>>) => report.kpis.find((k) => k.id === "deployment_frequency")!.sample_size;

describeEachDriver("cached reports", (store, driver) => {
  it("serve a past window's report again until something is written, then recompute it", async () => {
    await upsertRecords(store(), deployments, [deploymentOfApi("d1", "2026-03-02T10:00:00Z")]);
    const first = await cachedReport(store(), config, window);
    expect(deploymentsIn(first)).toBe(1);
    expect(await servedFromCache(() => cachedReport(store(), config, window))).toBe(true);
    // Another window is its own entry.
    expect(deploymentsIn(await cachedReport(store(), config, { ...window, to: "2026-03-01" }))).toBe(0);

    await upsertRecords(store(), deployments, [deploymentOfApi("d2", "2026-03-03T10:00:00Z")]);
    const second = await cachedReport(store(), config, window);
    expect(second).not.toBe(first);
    expect(deploymentsIn(second)).toBe(2);
  });

  it("always computes a window that has not ended: its values move with the clock", async () => {
    const today = { ...window, to: "2026-03-20" };
    const first = await cachedReport(store(), config, today);
    expect(await cachedReport(store(), config, today)).not.toBe(first);
  });

  // Another connection sees only committed writes: PGlite has one connection.
  if (driver === "postgres") {
    it("sees a write that was still running when the cached report was made, once it commits", async () => {
      await store().db.transaction(async (tx) => {
        await tx.insert(deployments).values(deploymentOfApi("d3", "2026-03-04T10:00:00Z"));
        // Another connection: the uncommitted deployment is not there yet.
        expect(deploymentsIn(await cachedReport(store(), config, window))).toBe(0);
      });
      expect(deploymentsIn(await cachedReport(store(), config, window))).toBe(1);
    });
  }
});

describeEachDriver("cached weekly trends", (store) => {
  it("serve complete past weeks again until something is written", async () => {
    const request = { project: "fraud", weeks: 2, until: "2026-03-11", kpis: ["deployment_frequency"], now };
    await upsertRecords(store(), deployments, [deploymentOfApi("d1", "2026-03-02T10:00:00Z")]); // Monday of the second week
    const first = await cachedTrends(store(), config, request);
    expect(first.weeks.map((w) => w.from)).toEqual(["2026-02-23", "2026-03-02"]);
    expect(first.series[0]!.samples).toEqual([0, 1]);
    expect(await servedFromCache(() => cachedTrends(store(), config, request))).toBe(true);
    await upsertRecords(store(), deployments, [deploymentOfApi("d2", "2026-02-24T10:00:00Z")]);
    expect((await cachedTrends(store(), config, request)).series[0]!.samples).toEqual([1, 1]);
    // Weeks up to the present are computed each time.
    const current = { ...request, until: "2026-03-30" };
    expect(await cachedTrends(store(), config, current)).not.toBe(await cachedTrends(store(), config, current));
  });
});

describeEachDriver("warming the cache", (store) => {
  it("computes each project's report of the last 28 days, which the overview then reads from the cache", async () => {
    const today = new Date("2026-03-11T12:00:00Z"); // the last 28 days in Berlin: 11 February – 10 March
    await upsertRecords(store(), deployments, [deploymentOfApi("d1", "2026-03-02T10:00:00Z")]);
    const [warmed] = await warmReports(store(), config, today);
    expect(warmed).toMatchObject({ project: "fraud", from: "2026-02-11", to: "2026-03-10" });
    expect(deploymentsIn(warmed!)).toBe(1);
    const read = () => cachedReport(store(), config, { project: "fraud", from: "2026-02-11", to: "2026-03-10", now: today });
    expect(await read()).toEqual(warmed);
    expect(await servedFromCache(read)).toBe(true);
  });
});
