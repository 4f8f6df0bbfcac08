/**
 * What data a project's report is missing, in words a product owner can act on: nothing
 * configured for a pillar, deployments without a commit SHA (lead time ignores them), KPIs that
 * had nothing to count in the window. Derived from the report and the project's configuration
 * only — the engine already knows all of it.
 */
import type { ProjectConfig } from "@/lib/config/load";
import type { KpiId } from "@/lib/kpis/ids";
import type { Report } from "./build";
import { entryView, type EntryView } from "./view";

export interface MissingData {
  /** The KPI the note is about, or null for a note about the whole project. */
  kpi: string | null;
  text: string;
}

/** What each KPI counts, for "had nothing to count" notes. */
const countedInputs: Record<KpiId, string> = {
  deployment_frequency: "completed production deployments",
  lead_time_for_changes: "changes (merged pull requests or pushed commits) shipped by a production deployment",
  change_failure_rate: "completed production deployments",
  time_to_restore: "incidents resolved",
  rework_rate: "completed production deployments",
  releases: "GitHub releases",
  bug_fixes: "bugs resolved",
  features_shipped: "features resolved",
  mttr: "incidents resolved",
  model_iterations_shipped: "model deployments to production",
  model_quality: "model metric observations",
  model_sla_compliance: "model SLA observations",
  data_refresh_frequency: "successful dataset refreshes",
  data_freshness_lag: "configured datasets",
  data_quality_issues: "data-quality issues",
  data_access_time: "data access requests resolved",
};

export function missingData(report: Report, project: ProjectConfig): MissingData[] {
  const notes: MissingData[] = [];
  const noModels = project.models.length === 0;
  const noDatasets = project.datasets.length === 0;
  if (noModels) {
    notes.push({ kpi: null, text: "No models are configured for this project (models: in shipshape.yaml), so the model KPIs stay empty." });
  }
  if (noDatasets) {
    notes.push({ kpi: null, text: "No datasets are configured for this project (datasets: in shipshape.yaml), so the data KPIs stay empty." });
  }
  if (!project.github?.repos.length) {
    notes.push({
      kpi: null,
      text: "No GitHub repositories are configured (github.repos), so lead time, releases and GitHub issues have nothing to read.",
    });
  }
  for (const entry of report.kpis.map(entryView)) {
    if (entry.coverage && entry.coverage.without_commit > 0) notes.push({ kpi: entry.id, text: coverageNote(entry.coverage) });
    if (entry.pillar === "model" && noModels) continue;
    if (entry.pillar === "data" && noDatasets) continue;
    const empty = emptyNote(entry);
    if (empty) notes.push({ kpi: entry.id, text: empty });
  }
  return notes;
}

function coverageNote({ deployments, without_commit }: { deployments: number; without_commit: number }): string {
  if (without_commit === deployments) {
    return `None of the ${deployments} production deployments in this window carries a commit SHA, so lead time cannot be measured: send commit_sha with each deployment.`;
  }
  const carry = without_commit === 1 ? "deployment carries" : "deployments carry";
  return `${without_commit} of ${deployments} production ${carry} no commit SHA; lead time ignores them.`;
}

/** A note for an entry with no value because nothing was counted (not for model_quality's project line, which never has one). */
function emptyNote(entry: EntryView): string | null {
  if (entry.value !== null || entry.sample_size > 0) return null;
  const where = entry.dimension ? ` for ${entry.dimension}` : "";
  return `${entry.title}${where}: no ${countedInputs[entry.id]} in this window, so there is no value.`;
}
