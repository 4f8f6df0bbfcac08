import { expect, it } from "vitest";
import { saveTargetForm } from "../../lib/target-form";
import { currentTargets, targetHistory } from "../../lib/targets";
import { describeEachDriver } from "../support/db";
import { testConfig } from "../kpis/support";

const config = testConfig();
const who = { project: "fraud", setBy: "ed@example.com" };
const values = (value: string, warn = "", dimension = "") => ({ dimension, value, warn });

describeEachDriver("the targets page's form", (store) => {
  it("saves a valid target as the signed-in user and says so", async () => {
    expect(await saveTargetForm(store(), config, { ...who, kpi: "data_freshness_lag" }, values(" 6,5 ", "1", "transactions"))).toEqual({
      values: { dimension: "", value: "", warn: "" },
      errors: {},
      saved: "Target for transactions set to 6.5.",
    });
    expect(await saveTargetForm(store(), config, { ...who, kpi: "data_freshness_lag" }, values("6.5", "1", "transactions"))).toMatchObject({
      saved: "The target for transactions already was 6.5; nothing changed.",
    });
    expect([...(await currentTargets(store(), "fraud"))]).toEqual([["data_freshness_lag\u0000transactions", { value: 6.5, warn: 1 }]]);
    expect((await targetHistory(store(), "fraud")).map((change) => change.setBy)).toEqual(["ed@example.com"]);
  });

  it("puts each error next to its field and keeps what was typed; nothing is saved", async () => {
    const cases: [string, ReturnType<typeof values>, Record<string, string>][] = [
      ["releases", values(""), { value: "Enter the target." }],
      ["releases", values("lots", "-1"), { value: "The target must be a number.", warn: "The warn margin cannot be negative." }],
      ["releases", values("3", "a bit"), { warn: "The warn margin must be a number." }],
      ["rework_rate", values("120"), { value: "A percentage target must be between 0 and 100." }],
      ["releases", values("-2"), { value: "A target in count cannot be negative." }],
      ["data_freshness_lag", values("6", "", "nope"), { dimension: 'Dimension "nope" must be one of the project\'s datasets (transactions, chargebacks).' }],
      ["model_quality", values("0.9"), { dimension: "Set a target per metric, with --dimension MODEL/METRIC." }],
    ];
    for (const [kpi, typed, errors] of cases) {
      expect(await saveTargetForm(store(), config, { ...who, kpi }, typed)).toEqual({ values: typed, errors, saved: null });
    }
    expect(await targetHistory(store(), "fraud")).toEqual([]);
  });
});
