import { expect, it } from "vitest";
import { buildReport } from "@/lib/report/build";
import { saveTargetForm } from "@/lib/targets/form";
import { testConfig } from "@/test/support/config";
import { deployment, insertDeployments } from "@/test/support/records";
import { currentTargets, setTarget, targetHistory } from "@/lib/targets/store";
import { describeEachDriver } from "@/test/support/db";

const config = testConfig();
const who = { project: "fraud", setBy: "ed@example.com" };
const values = (value: string, warn = "", dimension = "", owner = "", due = "") => ({ dimension, value, warn, owner, due });

describeEachDriver("the targets page's form", (store) => {
  it("saves a valid target as the signed-in user and says so", async () => {
    expect(await saveTargetForm(store(), config, { ...who, kpi: "data_freshness_lag" }, values(" 6,5 ", "1", "transactions"))).toEqual({
      values: { dimension: "", value: "", warn: "", owner: "", due: "" },
      errors: {},
      saved: "Target for transactions set to 6.5.",
    });
    expect(await saveTargetForm(store(), config, { ...who, kpi: "data_freshness_lag" }, values("6.5", "1", "transactions"))).toMatchObject({
      saved: "The target for transactions already was 6.5; nothing changed.",
    });
    expect((await currentTargets(store(), "fraud")).entries()).toEqual([{ kpi: "data_freshness_lag", dimension: "transactions", target: { value: 6.5, warn: 1 } }]);
    expect((await targetHistory(store(), "fraud")).map((change) => change.setBy)).toEqual(["ed@example.com"]);
  });

  it("saves an owner and a due date with the target; the same again changes nothing, an empty field is none", async () => {
    const kpi = { ...who, kpi: "deployment_frequency" };
    expect(await saveTargetForm(store(), config, kpi, values("3", "", "", " Ana Lima ", "2027-03-31"))).toMatchObject({
      errors: {},
      saved: "Target set to 3, owned by Ana Lima, due 2027-03-31.",
    });
    expect(await saveTargetForm(store(), config, kpi, values("3", "", "", "Ana Lima", "2027-03-31"))).toMatchObject({
      saved: "The target already was 3, owned by Ana Lima, due 2027-03-31; nothing changed.",
    });
    expect((await currentTargets(store(), "fraud")).get("deployment_frequency", null)).toEqual({ value: 3, warn: 0.3, owner: "Ana Lima", due: "2027-03-31" });
    // Leaving the fields empty is a target without owner and due date: a change, kept in the history.
    expect(await saveTargetForm(store(), config, kpi, values("3", "", "", " ", ""))).toMatchObject({ saved: "Target set to 3." });
    expect((await currentTargets(store(), "fraud")).get("deployment_frequency", null)).toEqual({ value: 3, warn: 0.3 });
    expect((await targetHistory(store(), "fraud")).map((change) => [change.old, change.new])).toEqual([
      [null, { value: 3, warn: null, owner: "Ana Lima", due: "2027-03-31" }],
      [{ value: 3, warn: null, owner: "Ana Lima", due: "2027-03-31" }, { value: 3, warn: null, owner: null, due: null }],
    ]);
  });

  it("puts each error next to its field and keeps what was typed; nothing is saved", async () => {
    const cases: [string, ReturnType<typeof values>, Record<string, string>][] = [
      ["releases", values(""), { value: "Enter the target." }],
      ["releases", values("lots", "-1"), { value: "The target must be a number.", warn: "The warn margin cannot be negative." }],
      ["releases", values("3", "a bit"), { warn: "The warn margin must be a number." }],
      ["rework_rate", values("120"), { value: "A percentage target must be between 0 and 100." }],
      ["releases", values("-2"), { value: "A target in count cannot be negative." }],
      ["releases", values("1e308"), { value: "A target in count must be at most 1000000 (a million in one window)." }],
      ["lead_time_for_changes", values("24", "1e308"), { warn: "A warn margin in hours must be at most 87600." }],
      ["data_freshness_lag", values("6", "", "nope"), { dimension: 'Dimension "nope" must be one of the project\'s datasets (transactions, chargebacks).' }],
      ["model_quality", values("0.9"), { dimension: "Set a target per metric, with --dimension MODEL/METRIC." }],
      ["releases", values("3", "", "", "x".repeat(121)), { owner: "The owner must be at most 120 characters." }],
      ["releases", values("3", "", "", "Ana\nBob"), { owner: "The owner must be one line of text." }],
      ["releases", values("3", "", "", "", "2027-02-30"), { due: "The due date must be a date YYYY-MM-DD." }],
      ["releases", values("3", "", "", "", "31/03/2027"), { due: "The due date must be a date YYYY-MM-DD." }],
      ["releases", values("3", "", "", "", "1999-12-31"), { due: "The due date must be between 2000-01-01 and 2100-12-31." }],
    ];
    for (const [kpi, typed, errors] of cases) {
      expect(await saveTargetForm(store(), config, { ...who, kpi }, typed)).toEqual({ values: typed, errors, saved: null });
    }
    expect(await targetHistory(store(), "fraud")).toEqual([]);
  });

  it("the report judges against the targets in force at `targetsAt` when given (the targets page), else at the window's end", async () => {
    await insertDeployments(store(), [deployment("d1", "2026-03-02T12:00:00Z")]);
    await setTarget(store(), config, { ...who, kpi: "deployment_frequency", value: 0.1 }, new Date("2026-03-05T00:00:00Z"));
    await saveTargetForm(store(), config, { ...who, kpi: "deployment_frequency" }, values("1"));
    const window = { project: "fraud", from: "2026-03-01", to: "2026-03-10" };
    const frequency = async (extra: object) => (await buildReport(store(), config, { ...window, ...extra })).kpis[0]!;
    // The window is judged against the target of its end, 0.1/day: met; today's change does not reach back…
    expect(await frequency({})).toMatchObject({ id: "deployment_frequency", value: 0.1, target: { value: 0.1, warn: 0.01 }, status: "met" });
    // …while judged against the targets of now, 0.1/day misses 1/day.
    expect(await frequency({ targetsAt: new Date() })).toMatchObject({ value: 0.1, target: { value: 1, warn: 0.1 }, status: "missed" });
  });
});
