/**
 * Every KPI module, in catalog order (kpis.md; the order of `kpiIdentities` in ./ids.ts). The
 * report lists its entries in this order.
 */
import { bugFixes } from "./bug-fixes";
import { changeFailureRate } from "./change-failure-rate";
import { dataAccessTime } from "./data-access-time";
import { dataFreshnessLag } from "./data-freshness-lag";
import { dataQualityIssues } from "./data-quality-issues";
import { dataRefreshFrequency } from "./data-refresh-frequency";
import { deploymentFrequency } from "./deployment-frequency";
import { featuresShipped } from "./features-shipped";
import type { Kpi } from "./kpi";
import { leadTimeForChanges } from "./lead-time-for-changes";
import { modelIterationsShipped } from "./model-iterations-shipped";
import { modelQuality } from "./model-quality";
import { modelSlaCompliance } from "./model-sla-compliance";
import { mttr } from "./mttr";
import { releases } from "./releases";
import { reworkRate } from "./rework-rate";
import { timeToRestore } from "./time-to-restore";

export const catalog: readonly Kpi[] = [
  deploymentFrequency,
  leadTimeForChanges,
  changeFailureRate,
  timeToRestore,
  reworkRate,
  releases,
  bugFixes,
  featuresShipped,
  mttr,
  modelIterationsShipped,
  modelQuality,
  modelSlaCompliance,
  dataRefreshFrequency,
  dataFreshnessLag,
  dataQualityIssues,
  dataAccessTime,
];

export function findKpi(id: string): Kpi | undefined {
  return catalog.find((kpi) => kpi.id === id);
}
