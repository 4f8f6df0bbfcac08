/**
 * Every KPI module, in catalog order (kpis.md; the order of `kpiIdentities` in ./ids.ts). The
 * report lists its entries in this order.
 */
import { bugFixes } from "./definitions/bug-fixes";
import { changeFailureRate } from "./definitions/change-failure-rate";
import { dataAccessTime } from "./definitions/data-access-time";
import { dataFreshnessLag } from "./definitions/data-freshness-lag";
import { dataQualityIssues } from "./definitions/data-quality-issues";
import { dataRefreshFrequency } from "./definitions/data-refresh-frequency";
import { deploymentFrequency } from "./definitions/deployment-frequency";
import { featuresShipped } from "./definitions/features-shipped";
import { kpiIds, type KpiId } from "./ids";
import type { Kpi } from "./kpi";
import { leadTimeForChanges } from "./definitions/lead-time-for-changes";
import { modelIterationsShipped } from "./definitions/model-iterations-shipped";
import { modelQuality } from "./definitions/model-quality";
import { modelSlaCompliance } from "./definitions/model-sla-compliance";
import { mttr } from "./definitions/mttr";
import { releases } from "./definitions/releases";
import { reworkRate } from "./definitions/rework-rate";
import { timeToRestore } from "./definitions/time-to-restore";

/** Every KPI module by its id: `satisfies` makes the compiler refuse a catalog id without a module. */
const kpisById = {
  deployment_frequency: deploymentFrequency,
  lead_time_for_changes: leadTimeForChanges,
  change_failure_rate: changeFailureRate,
  time_to_restore: timeToRestore,
  rework_rate: reworkRate,
  releases,
  bug_fixes: bugFixes,
  features_shipped: featuresShipped,
  mttr,
  model_iterations_shipped: modelIterationsShipped,
  model_quality: modelQuality,
  model_sla_compliance: modelSlaCompliance,
  data_refresh_frequency: dataRefreshFrequency,
  data_freshness_lag: dataFreshnessLag,
  data_quality_issues: dataQualityIssues,
  data_access_time: dataAccessTime,
} satisfies Record<KpiId, Kpi>;

export const catalog: readonly Kpi[] = kpiIds.map((id) => kpisById[id]);

/** The module of a catalog id. */
export function kpiById(id: KpiId): Kpi {
  return kpisById[id];
}

/** The module of an id given by a user (a URL, a query, a flag), or undefined for an unknown one. */
export function findKpi(id: string): Kpi | undefined {
  return Object.hasOwn(kpisById, id) ? kpisById[id as KpiId] : undefined;
}
