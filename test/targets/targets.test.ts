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
  });

  it("judges a window that ended before the first target against that first target, and never against a later one", async () => {
    await setUpHistory();
    // February ended before the first target (1 March 10:00): judged against it, not against 12.
    const february = await targetsAtWindowEnd(store(), "fraud", reportWindow("2026-02-01", "2026-02-28", "UTC"));
    expect(february.entries()).toEqual([{ kpi: "bug_fixes", dimension: null, target: { value: 10, warn: 1 } }]);
    // A window ending on 1 March ends at midnight, before 10:00: also the first target's.
    const firstDay = await targetsAtWindowEnd(store(), "fraud", reportWindow("2026-02-01", "2026-03-01", "UTC"));
    expect(firstDay.get("bug_fixes", null)).toEqual({ value: 10, warn: 1 });
    // A target removed later does not reach back either: February keeps its first target.
    expect(await targetInForce(store(), "fraud", "bug_fixes", null, "2026-02-28T00:00:00Z")).toBeNull();
  });

  it("takes each dimension's first target on its own", async () => {
    await setTarget(store(), config, { project: "fraud", kpi: "data_freshness_lag", value: 24, setBy: "a" }, T1);
    await setTarget(store(), config, { project: "fraud", kpi: "data_freshness_lag", dimension: "transactions", value: 6, warn: 0, setBy: "a" }, T2);
    await setTarget(store(), config, { project: "fraud", kpi: "data_freshness_lag", dimension: "transactions", value: 4, warn: 0, setBy: "a" }, T3);
    // Every target the window is judged against, by dimension ("project": the project entry).
    const at = async (from: string, to: string) => {
      const targets = await targetsAtWindowEnd(store(), "fraud", reportWindow(from, to, "UTC"));
      return Object.fromEntries(targets.entries().map(({ kpi, dimension, target }) => [`${kpi} ${dimension ?? "project"}`, target]));
    };
    const project = "data_freshness_lag project";
    const transactions = "data_freshness_lag transactions";
    // Before any target: each entry its own first.
    expect(await at("2026-02-01", "2026-02-28")).toEqual({ [project]: { value: 24, warn: 2.4 }, [transactions]: { value: 6, warn: 0 } });
    // The project's target is in force; the dataset's first comes later.
    expect(await at("2026-03-02", "2026-03-08")).toEqual({ [project]: { value: 24, warn: 2.4 }, [transactions]: { value: 6, warn: 0 } });
    // After the change on 1 April, the new one.
    expect(await at("2026-04-01", "2026-04-07")).toEqual({ [project]: { value: 24, warn: 2.4 }, [transactions]: { value: 4, warn: 0 } });
    // No target for the other dataset, in any window.
    expect((await at("2026-02-01", "2026-02-28"))["data_freshness_lag chargebacks"]).toBeUndefined();
  });

  it("keeps the history of every change: when, who, from what to what", async () => {
    await setUpHistory();
    expect(await targetHistory(store(), "fraud")).toEqual([
      { kpi: "bug_fixes", dimension: null, setAt: "2026-03-01T10:00:00.000Z", setBy: "alice", old: null, new: { value: 10, warn: null, owner: null, due: null } },
      { kpi: "bug_fixes", dimension: null, setAt: "2026-03-15T00:00:00.000Z", setBy: "bob", old: { value: 10, warn: null, owner: null, due: null }, new: { value: 12, warn: 0.5, owner: null, due: null } },
      { kpi: "bug_fixes", dimension: null, setAt: "2026-04-01T00:00:00.000Z", setBy: "carol", old: { value: 12, warn: 0.5, owner: null, due: null }, new: null },
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

  it("keeps the owner and due date in the history like the value: a change of either is a change, the same again is none", async () => {
    const set = (extra: object, at: Date, by = "alice") => setTarget(store(), config, { project: "fraud", kpi: "releases", value: 4, setBy: by, ...extra }, at);
    expect(await set({ owner: "Ana Lima", due: "2027-03-31" }, T1)).toEqual({ changed: true });
    expect(await set({ owner: " Ana Lima ", due: "2027-03-31" }, T2, "bob")).toEqual({ changed: false });
    expect(await set({ owner: "ana@example.com", due: "2027-03-31" }, T2, "bob")).toEqual({ changed: true });
    expect(await set({ owner: "ana@example.com", due: "2027-06-30" }, T3, "carol")).toEqual({ changed: true });
    expect(await targetInForce(store(), "fraud", "releases", null, T3)).toEqual({ value: 4, warn: 0.4, owner: "ana@example.com", due: "2027-06-30" });
    expect((await targetHistory(store(), "fraud")).map((change) => [change.setBy, change.old, change.new])).toEqual([
      ["alice", null, { value: 4, warn: null, owner: "Ana Lima", due: "2027-03-31" }],
      ["bob", { value: 4, warn: null, owner: "Ana Lima", due: "2027-03-31" }, { value: 4, warn: null, owner: "ana@example.com", due: "2027-03-31" }],
      ["carol", { value: 4, warn: null, owner: "ana@example.com", due: "2027-03-31" }, { value: 4, warn: null, owner: "ana@example.com", due: "2027-06-30" }],
    ]);
    // A set without them is a target without owner and due date (the whole target, as with the margin); a removal clears them.
    expect(await set({}, T3, "dave")).toEqual({ changed: true });
    expect(await targetInForce(store(), "fraud", "releases", null, T3)).toEqual({ value: 4, warn: 0.4 });
    // The report window's targets carry them too.
    await set({ owner: "Ana Lima", due: "2027-03-31" }, T3);
    expect((await currentTargets(store(), "fraud", T3)).get("releases", null)).toEqual({ value: 4, warn: 0.4, owner: "Ana Lima", due: "2027-03-31" });
  });

  it("refuses an empty, multi-line or too long owner and a due date that is not a date, with one line", async () => {
    const set = (extra: object) => setTarget(store(), config, { project: "fraud", kpi: "releases", value: 4, setBy: "a", ...extra }, T1);
    const cases: [object, string][] = [
      [{ owner: "  " }, "owner: must not be empty"],
      [{ owner: "a".repeat(121) }, "owner: must be at most 120 characters"],
      [{ owner: "Ana\nLima" }, "owner: must be one line of text"],
      [{ due: "2027-02-30" }, "due: must be a date YYYY-MM-DD"],
      [{ due: "31.03.2027" }, "due: must be a date YYYY-MM-DD"],
      [{ due: "2200-01-01" }, "due: must be between 2000-01-01 and 2100-12-31"],
    ];
    for (const [extra, message] of cases) expect(await refusal(set(extra))).toEqual({ kind: "invalid", message });
    expect(await set({ owner: "a".repeat(120), due: "2100-12-31" })).toEqual({ changed: true });
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
    // Bounded by what the unit can mean: 1e308 is a typo, not a goal.
    const bounds: [Record<string, unknown>, string][] = [
      [{ value: 1e308 }, "releases: a target in count must be at most 1000000 (a million in one window)"],
      [{ kpi: "deployment_frequency", value: 86_401 }, "deployment_frequency: a target in per_day must be at most 86400 (once a second, all day)"],
      [{ kpi: "lead_time_for_changes", value: 87_601 }, "lead_time_for_changes: a target in hours must be at most 87600 (ten years)"],
      [{ kpi: "lead_time_for_changes", value: 24, warn: 1e308 }, "lead_time_for_changes: a warn margin in hours must be at most 87600"],
      [{ kpi: "rework_rate", value: 10, warn: 101 }, "rework_rate: a warn margin in percent must be at most 100"],
      [{ kpi: "model_quality", dimension: "fraud-xgb/log_loss", value: -1e308 }, "model_quality: a target in ratio must be between -1000000 and 1000000 (far beyond any model metric)"],
    ];
    for (const [request, message] of bounds) expect([request, await set(request)]).toEqual([request, { kind: "invalid", message }]);
    expect(await set({ warn: -1 })).toMatchObject({ kind: "invalid", message: expect.stringMatching(/^warn: /) });
    expect(await set({ value: Number.NaN })).toMatchObject({ kind: "invalid", message: expect.stringMatching(/^value: /) });
    expect(await set({ setBy: "" })).toMatchObject({ kind: "invalid", message: expect.stringMatching(/^setBy: /) });
    expect(await targetHistory(store(), "fraud")).toEqual([]);
  });

  it("takes targets at the edges of their unit's range", async () => {
    const edges = [
      { kpi: "releases", value: 1_000_000 },
      { kpi: "deployment_frequency", value: 86_400, warn: 86_400 },
      { kpi: "lead_time_for_changes", value: 0 },
      { kpi: "model_quality", dimension: "fraud-xgb/r2", value: -0.5 },
    ];
    for (const edge of edges) expect(await setTarget(store(), config, { project: "fraud", setBy: "a", ...edge })).toEqual({ changed: true });
  });
});
