import { sql } from "drizzle-orm";
import { expect, it } from "vitest";
import { reportWindow } from "@/lib/time/window";
import { writeDemoTargets } from "@/lib/demo/targets";
import { setTarget, targetsAtWindowEnd } from "@/lib/targets/store";
import { demoConfig } from "@/lib/demo/config";
import { parseConfig } from "@/lib/config/load";
import { describeEachDriver } from "@/test/support/db";

const config = parseConfig(JSON.stringify(demoConfig), "demo", {});

describeEachDriver("the demo's targets", (store) => {
  it("are in force from the demo's first day, with deployment frequency tightened eight weeks before its end", async () => {
    await writeDemoTargets(store(), "2026-05-25", "2026-11-22");
    // The first day in Berlin starts 2026-05-24T22:00Z: the targets set "a day before in UTC" are already in force.
    const first = await targetsAtWindowEnd(store(), "fraud-detection", reportWindow("2026-05-25", "2026-05-25", "Europe/Berlin"));
    expect(first.get("deployment_frequency", null)).toEqual({ value: 0.5, warn: 0.05 });
    // Owned by the project's delivery lead, due twelve weeks after the last day (2026-11-22 + 84 days).
    expect(first.get("lead_time_for_changes", null)).toEqual({ value: 48, warn: 4.8, owner: "Priya Raman", due: "2027-02-14" });
    expect(first.get("bug_fixes", null)).toEqual({ value: 8, warn: 0.8 });
    // Tightened on 2026-09-27 (56 days before 22 November) at noon UTC.
    const before = await targetsAtWindowEnd(store(), "churn-prediction", reportWindow("2026-09-26", "2026-09-26", "America/New_York"));
    const after = await targetsAtWindowEnd(store(), "churn-prediction", reportWindow("2026-09-27", "2026-09-27", "America/New_York"));
    expect(before.get("deployment_frequency", null)?.value).toBe(0.5);
    expect(after.get("deployment_frequency", null)?.value).toBe(1);
    // The tightened target is the one with an owner and a due date (eight weeks after the last day).
    expect(before.get("deployment_frequency", null)).toEqual({ value: 0.5, warn: 0.05 });
    expect(after.get("deployment_frequency", null)).toEqual({ value: 1, warn: 0.1, owner: "Tom Becker", due: "2027-01-17" });
    expect(Object.fromEntries(after.entries().filter((e) => e.target.due).map((e) => [e.kpi, [e.target.owner, e.target.due]]))).toEqual({
      deployment_frequency: ["Tom Becker", "2027-01-17"],
      lead_time_for_changes: ["Tom Becker", "2027-02-14"],
      model_sla_compliance: ["ml-platform@acme.example", "2027-01-03"],
      data_refresh_frequency: ["data-eng@acme.example", "2026-12-20"],
    });
    expect(after.size).toBe(9);
  });

  it("are replaced when the demo is regenerated, and a target someone set is kept", async () => {
    await writeDemoTargets(store(), "2026-05-25", "2026-11-22");
    await setTarget(store(), config, { project: "search-ranking", kpi: "releases", value: 3, setBy: "ana" }, new Date("2026-11-23T09:00:00Z"));
    await writeDemoTargets(store(), "2026-05-26", "2026-11-23");
    const rows = await store().rows<{ set_by: string; n: number }>(sql`SELECT set_by, count(*)::int AS n FROM target_changes GROUP BY set_by ORDER BY set_by`);
    expect(rows).toEqual([
      { set_by: "ana", n: 1 },
      { set_by: "demo", n: 30 }, // 3 projects × (9 targets + the tightening)
    ]);
  });
});
