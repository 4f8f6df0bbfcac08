import type { Command } from "commander";
import { buildReport, ReportError, type Report, type ReportEntry } from "@/lib/report/build";
import { UserError } from "@/cli/errors";
import { withRuntime } from "@/cli/run";
import { formatScore } from "@/lib/format/values";
import { benchmark2025, scoredKpis } from "@/lib/kpis/dora/quick-check";

/** Exit code for bad report parameters: an unknown project, a bad date or zone (interfaces.md). */
const BAD_PARAMETERS = 2;

export function registerKpis(program: Command) {
  program
    .command("kpis")
    .description("the KPI report of a project: a table, or the report JSON with --json")
    .requiredOption("--project <slug>", "the project's slug")
    .option("--from <date>", "first day of the window, YYYY-MM-DD (default: 28 days before --to)")
    .option("--to <date>", "last day of the window, YYYY-MM-DD (default: yesterday)")
    .option("--tz <zone>", "IANA time zone of the window's days (default: the project's)")
    .option("--json", "print the report JSON instead of a table")
    .action((options: { project: string; from?: string; to?: string; tz?: string; json?: boolean }) =>
      withRuntime(async ({ config, store }) => {
        let report: Report;
        try {
          report = await buildReport(store, config, { project: options.project, from: options.from, to: options.to, tz: options.tz });
        } catch (error) {
          if (error instanceof ReportError) throw new UserError(error.message, BAD_PARAMETERS);
          throw error;
        }
        console.log(options.json ? JSON.stringify(report, null, 2) : reportTable(report));
      }),
    );
}

const UNIT_SUFFIX: Record<ReportEntry["unit"], string> = { per_day: "/day", hours: " h", percent: " %", count: "", ratio: "" };

function formatValue(value: number | null, unit: ReportEntry["unit"]): string {
  if (value === null) return "—";
  const rounded = Number.isInteger(value) ? String(value) : value.toFixed(unit === "ratio" || unit === "per_day" ? 3 : 1);
  return `${rounded}${UNIT_SUFFIX[unit]}`;
}

/** The report as an aligned text table: one line per entry. */
export function reportTable(report: Report): string {
  const header = ["kpi", "dimension", "value", "previous", "target", "status", "band"];
  const rows = report.kpis.map((entry) => [
    entry.id,
    entry.dimension ?? "",
    formatValue(entry.value, entry.unit),
    formatValue(entry.previous, entry.unit),
    entry.target ? formatValue(entry.target.value, entry.unit) : "",
    entry.status,
    entry.band ?? "",
  ]);
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
  const line = (cells: string[]) => cells.map((cell, column) => cell.padEnd(widths[column]!)).join("  ").trimEnd();
  const title = `${report.project}: ${report.from} to ${report.to} (${report.days} days, ${report.timezone})`;
  return [title, "", line(header), ...rows.map(line), ...quickCheckLine(report)].join("\n");
}

/** The DORA Quick Check scores under the table, when a DORA KPI has a value. */
function quickCheckLine({ scores }: Report): string[] {
  if (scores.overall === null) return [];
  const each = scoredKpis.filter((id) => scores[id] !== undefined).map((id) => `${id} ${formatScore(scores[id]!)}`);
  return ["", `DORA Quick Check: ${formatScore(scores.overall)}/10 (${each.join(", ")}); 2025 industry benchmark ${formatScore(benchmark2025.overall)}`];
}
