/**
 * The report as CSV (GET …/kpis.csv): one row per entry, in report order. Columns added later
 * come last, so a reader of the first ones keeps working: the target's owner and due date and
 * its forecast (docs/metrics.md, "Forecasts").
 */
import { stringify } from "csv-stringify/sync";
import type { Report } from "./build";

const CSV_COLUMNS = [
  "project",
  "from",
  "to",
  "timezone",
  "days",
  "id",
  "pillar",
  "unit",
  "dimension",
  "value",
  "sample_size",
  "previous",
  "target",
  "warn",
  "status",
  "band",
  "coverage_deployments",
  "coverage_without_commit",
  "owner",
  "due",
  "forecast_value",
  "forecast_low",
  "forecast_high",
  "forecast_status",
] as const;

/** The report as CSV: a header, then one row per entry in report order; empty cells for nulls. */
export function reportCsv(report: Report): string {
  const rows = report.kpis.map((entry) => [
    report.project,
    report.from,
    report.to,
    report.timezone,
    report.days,
    entry.id,
    entry.pillar,
    entry.unit,
    entry.dimension,
    entry.value,
    entry.sample_size,
    entry.previous,
    entry.target?.value,
    entry.target?.warn,
    entry.status,
    entry.band,
    entry.coverage?.deployments,
    entry.coverage?.without_commit,
    entry.target?.owner,
    entry.target?.due,
    entry.forecast?.value,
    entry.forecast?.low,
    entry.forecast?.high,
    entry.forecast?.status,
  ]);
  return stringify(rows, { header: true, columns: [...CSV_COLUMNS], record_delimiter: "unix" });
}
