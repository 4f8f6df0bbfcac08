import { expect, it } from "vitest";
import { reportWindow } from "@/lib/time/window";
import { currentTargets, removeTarget, setTarget, targetHistory, targetInForce, targetsAtWindowEnd } from "@/lib/targets/store";
import { describeEachDriver } from "@/test/support/db";
import { refusal } from "@/test/support/refusal";
import { testConfig } from "@/test/support/config";

const config = testConfig();
const T1 = new Date("2026-03-01T10:00:00Z");
const T2 = new Date("2026-03-15T00:00:00Z");
const T3 = new Date("2026-04-01T00:00:00Z");

describeEachDriver("targets", (store) => {
  async function setUpHistory() {
    expect(await setTarget(store(), config, { project: "fraud", kpi: "bug_fixes", value: 10, setBy: "alice" }, T1)).toEqual({ changed: true });
    expect(await setTarget(store(), config, { project: "fraud", kpi: "bug_fixes", value: 12, warn: 0.5, setBy: "bob" }, T2)).toEqual({ changed: true });
    expect(await removeTarget(store(), config, { project: "fraud", kpi: "bug_fixes", setBy: "carol" }, T3)).toEqual({ changed: true });
  }

  it("finds the target in force at an instant: the latest change at or before it", async () => {
    await setUpHistory();
    const at = (iso: string) => targetInForce(store(), "fraud", "bug_fixes", null, iso);
    expect(await at("2026-03-01T09:59:59.999Z")).toBeNull();
    expect(await at("2026-03-01T10:00:00Z")).toEqual({ value: 10, warn: 1 }); // default warn resolved
    expect(await at("2026-03-14T23:59:59Z")).toEqual({ value: 10, warn: 1 });
    expect(await at("2026-03-15T00:00:00Z")).toEqual({ value: 12, warn: 0.5 });
    expect(await at("2026-03-31T23:59:59Z")).toEqual({ value: 12, warn: 0.5 });
    expect(await at("2026-04-01T00:00:00Z")).toBeNull(); // removed
    expect(await targetInForce(store(), "churn", "bug_fixes", null, "2026-03-20T00:00:00Z")).toBeNull();
  });

  it("judges a window by the target in force at its last instant (a change at the next midnight is not)", async () => {
    await setUpHistory();
    const march = await targetsAtWindowEnd(store(), "fraud", reportWindow("2026-03-01", "2026-03-31", "UTC"));
    expect(march.get("bug_fixes", null)).toEqual({ value: 12, warn: 0.5 });
    const firstHalf = await targetsAtWindowEnd(store(), "fraud", reportWindow("2026-03-01", "2026-03-14", "UTC"));
    expect(firstHalf.get("bug_fixes", null)).toEqual({ value: 10, warn: 1 });
    // In Berlin, 15 March 00:00 UTC is 01:00 local on the 15th: still inside a window ending on the 15th.
    const berlin = await targetsAtWindowEnd(store(), "fraud", reportWindow("2026-03-01", "2026-03-14", "Europe/Berlin"));
    expect(berlin.get("bug_fixes", null)).toEqual({ value: 10, warn: 1 });
    const april = await targetsAtWindowEnd(store(), "fraud", reportWindow("2026-04-01", "2026-04-30", "UTC"));
    expect(april.size).toBe(0);
    const february = await targetsAtWindowEnd(store(), "fraud", reportWindow("2026-02-01", "2026-02-28", "UTC"));
    expect(february.size).toBe(0);
  });

  it("keeps the history of every change: when, who, from what to what", async () => {
    await setUpHistory();
    expect(await targetHistory(store(), "fraud")).toEqual([
      { kpi: "bug_fixes", dimension: null, setAt: "2026-03-01T10:00:00.000Z", setBy: "alice", old: null, new: { value: 10, warn: null } },
      { kpi: "bug_fixes", dimension: null, setAt: "2026-03-15T00:00:00.000Z", setBy: "bob", old: { value: 10, warn: null }, new: { value: 12, warn: 0.5 } },
      { kpi: "bug_fixes", dimension: null, setAt: "2026-04-01T00:00:00.000Z", setBy: "carol", old: { value: 12, warn: 0.5 }, new: null },
    ]);
    expect(await targetHistory(store(), "churn")).toEqual([]);
  });

  it("records nothing when the same target is set again or a missing one removed", async () => {
    await setTarget(store(), config, { project: "fraud", kpi: "releases", value: 4, setBy: "alice" }, T1);
    expect(await setTarget(store(), config, { project: "fraud", kpi: "releases", value: 4, setBy: "bob" }, T2)).toEqual({ changed: false });
    expect(await setTarget(store(), config, { project: "fraud", kpi: "releases", value: 4, warn: 0.4, setBy: "bob" }, T2)).toEqual({ changed: true });
    expect(await removeTarget(store(), config, { project: "fraud", kpi: "bug_fixes", setBy: "bob" }, T2)).toEqual({ changed: false });
    expect(await targetHistory(store(), "fraud")).toHaveLength(2);
  });

  it("keeps per-dimension targets apart from the project entry's", async () => {
    await setTarget(store(), config, { project: "fraud", kpi: "data_freshness_lag", value: 24, setBy: "a" }, T1);
    await setTarget(store(), config, { project: "fraud", kpi: "data_freshness_lag", dimension: "transactions", value: 6, warn: 0, setBy: "a" }, T1);
    await setTarget(store(), config, { project: "fraud", kpi: "model_quality", dimension: "fraud-xgb/auc", value: 0.9, setBy: "a" }, T1);
    await setTarget(store(), config, { project: "fraud", kpi: "model_quality", dimension: "fraud-xgb/log_loss", value: -0.2, setBy: "a" }, T1);
    const inForce = await currentTargets(store(), "fraud", T2);
    expect(inForce.entries()).toEqual([
      { kpi: "data_freshness_lag", dimension: null, target: { value: 24, warn: 2.4 } },
      { kpi: "data_freshness_lag", dimension: "transactions", target: { value: 6, warn: 0 } },
      { kpi: "model_quality", dimension: "fraud-xgb/auc", target: { value: 0.9, warn: 0.09 } },
      { kpi: "model_quality", dimension: "fraud-xgb/log_loss", target: { value: -0.2, warn: 0.02 } },
    ]);
    expect(inForce.get("data_freshness_lag", "transactions")).toEqual({ value: 6, warn: 0 });
    expect(inForce.get("model_quality", null)).toBeNull();
    expect(await targetInForce(store(), "fraud", "data_freshness_lag", "transactions", T2)).toEqual({ value: 6, warn: 0 });
  });

  it("refuses unknown projects, KPIs and dimensions, and values outside the unit", async () => {
    const set = (request: Record<string, unknown>) =>
      refusal(setTarget(store(), config, { project: "fraud", kpi: "releases", value: 1, setBy: "a", ...request } as never));
    expect(await set({ project: "nope" })).toEqual({ kind: "not_found", message: 'unknown project "nope" (projects: fraud, churn)' });
    expect(await set({ kpi: "velocity" })).toMatchObject({ kind: "invalid", message: expect.stringMatching(/^unknown KPI "velocity" \(one of deployment_frequency, /) });
    expect(await set({ dimension: "transactions" })).toEqual({ kind: "invalid", message: "releases: has no dimensions; leave the dimension out" });
    expect(await set({ kpi: "data_refresh_frequency", dimension: "events" })).toEqual({
      kind: "invalid",
      message: `data_refresh_frequency: dimension "events" must be one of the project's datasets (transactions, chargebacks)`,
    });
    expect(await set({ kpi: "model_quality" })).toEqual({ kind: "invalid", message: "model_quality: set a target per metric, with --dimension MODEL/METRIC" });
    expect(await set({ kpi: "model_quality", dimension: "fraud-xgb" })).toMatchObject({ message: expect.stringContaining("must be MODEL/METRIC") });
    expect(await set({ kpi: "model_quality", dimension: "churn-lgbm/auc" })).toMatchObject({ message: expect.stringContaining("must be MODEL/METRIC") });
    expect(await set({ kpi: "model_sla_compliance", dimension: "fraud-nn", value: 101 })).toEqual({
      kind: "invalid",
      message: "model_sla_compliance: a percentage target must be between 0 and 100",
    });
    expect(await set({ value: -1 })).toEqual({ kind: "invalid", message: "releases: a target in count cannot be negative" });
    expect(await set({ warn: -1 })).toMatchObject({ kind: "invalid", message: expect.stringMatching(/^warn: /) });
    expect(await set({ value: Number.NaN })).toMatchObject({ kind: "invalid", message: expect.stringMatching(/^value: /) });
    expect(await set({ setBy: "" })).toMatchObject({ kind: "invalid", message: expect.stringMatching(/^setBy: /) });
    expect(await targetHistory(store(), "fraud")).toEqual([]);
  });
});
