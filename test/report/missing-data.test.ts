import { describe, expect, it } from "vitest";
import { parseConfig } from "@/lib/config/load";
import { missingData } from "@/lib/report/missing-data";
import type { Report, ReportEntry } from "@/lib/report/build";
import { reportEntry } from "@/test/support/records";

const config = parseConfig(
  `projects:
  - { slug: full, name: Full, services: [api], models: [xgb], datasets: [events], github: { repos: [acme/api] } }
  - { slug: bare, name: Bare, services: [api] }
`,
  "shipshape.yaml",
  {},
);
const [full, bare] = config.projects as [(typeof config.projects)[number], (typeof config.projects)[number]];

const report = (kpis: ReportEntry[]): Report => ({ project: "full", from: "2026-11-01", to: "2026-11-28", timezone: "UTC", days: 28, kpis, scores: { overall: null } });

describe("what data a report is missing", () => {
  it("says how many deployments lack a commit SHA, and nothing else when every input is there", () => {
    const notes = missingData(
      report([
        reportEntry({ id: "lead_time_for_changes", pillar: "delivery", unit: "hours", coverage: { deployments: 40, without_commit: 12 } }),
        reportEntry({ id: "model_quality", pillar: "model", unit: "ratio", value: null, sample_size: 2 }), // the project line never has a value
      ]),
      full,
    );
    expect(notes).toEqual([{ kpi: "lead_time_for_changes", text: "12 of 40 production deployments carry no commit SHA; lead time ignores them." }]);
  });

  it("says when no deployment carries a commit SHA, in the singular too", () => {
    const all = missingData(report([reportEntry({ id: "lead_time_for_changes", pillar: "delivery", unit: "hours", value: null, sample_size: 0, coverage: { deployments: 3, without_commit: 3 } })]), full);
    expect(all.map((n) => n.text)).toEqual([
      "None of the 3 production deployments in this window carries a commit SHA, so lead time cannot be measured: send commit_sha with each deployment.",
      "Lead time for changes: no changes (merged pull requests or pushed commits) shipped by a production deployment in this window, so there is no value.",
    ]);
    const one = missingData(report([reportEntry({ id: "lead_time_for_changes", pillar: "delivery", unit: "hours", coverage: { deployments: 5, without_commit: 1 } })]), full);
    expect(one[0]!.text).toBe("1 of 5 production deployment carries no commit SHA; lead time ignores them.");
  });

  it("names what a project lacks in its configuration once, instead of a note per empty model or data KPI", () => {
    const notes = missingData(
      report([
        reportEntry({ id: "time_to_restore", pillar: "delivery", unit: "hours", value: null, sample_size: 0 }),
        reportEntry({ id: "model_sla_compliance", pillar: "model", unit: "percent", value: null, sample_size: 0 }),
        reportEntry({ id: "data_access_time", pillar: "data", unit: "hours", value: null, sample_size: 0 }),
      ]),
      bare,
    );
    expect(notes.map((n) => [n.kpi, n.text])).toEqual([
      [null, "No models are configured for this project (models: in shipshape.yaml), so the model KPIs stay empty."],
      [null, "No datasets are configured for this project (datasets: in shipshape.yaml), so the data KPIs stay empty."],
      [null, "No GitHub repositories are configured (github.repos), so lead time, releases and GitHub issues have nothing to read."],
      ["time_to_restore", "Time to restore: no incidents resolved in this window, so there is no value."],
    ]);
  });

  it("names the dataset or model an empty entry is about", () => {
    const notes = missingData(report([reportEntry({ id: "model_sla_compliance", pillar: "model", unit: "percent", dimension: "xgb", value: null, sample_size: 0 })]), full);
    expect(notes).toEqual([{ kpi: "model_sla_compliance", text: "Model SLA compliance for xgb: no model SLA observations in this window, so there is no value." }]);
  });
});
