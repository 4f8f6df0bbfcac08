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
import type { Kpi } from "./kpi";
import { leadTimeForChanges } from "./definitions/lead-time-for-changes";
import { modelIterationsShipped } from "./definitions/model-iterations-shipped";
import { modelQuality } from "./definitions/model-quality";
import { modelSlaCompliance } from "./definitions/model-sla-compliance";
import { mttr } from "./definitions/mttr";
import { releases } from "./definitions/releases";
import { reworkRate } from "./definitions/rework-rate";
import { timeToRestore } from "./definitions/time-to-restore";

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
