import type { Command } from "commander";
import { print, type CliIo } from "@/cli/io";
import { formatExact } from "@/lib/format/values";
import { buildReport, type Report } from "@/lib/report/build";
import { withRuntime } from "@/cli/run";
import { formatScore } from "@/lib/format/values";
import { benchmark2025, scoredKpis } from "@/lib/kpis/dora/quick-check";

export function registerKpis(program: Command, io: CliIo) {
  program
    .command("kpis")
    .description("the KPI report of a project: a table, or the report JSON with --json")
    .requiredOption("--project <slug>", "the project's slug")
    .option("--from <date>", "first day of the window, YYYY-MM-DD (default: 28 days before --to)")
    .option("--to <date>", "last day of the window, YYYY-MM-DD (default: yesterday)")
    .option("--tz <zone>", "IANA time zone of the window's days (default: the project's)")
    .option("--json", "print the report JSON instead of a table")
    .action((options: { project: string; from?: string; to?: string; tz?: string; json?: boolean }) =>
      withRuntime(io, async ({ config, store }) => {
        const report = await buildReport(store, config, { project: options.project, from: options.from, to: options.to, tz: options.tz });
        print(io, options.json ? JSON.stringify(report, null, 2) : reportTable(report));
      }),
    );
}

/**
 * The report as an aligned text table: one line per entry. Values read as targets are set
 * (`targets set --value`): in the KPI's own unit, up to three decimals (lib/format's formatExact).
 */
export function reportTable(report: Report): string {
  const header = ["kpi", "dimension", "value", "previous", "target", "status", "band"];
  const rows = report.kpis.map((entry) => [
    entry.id,
    entry.dimension ?? "",
    formatExact(entry.value, entry.unit),
    formatExact(entry.previous, entry.unit),
    entry.target ? formatExact(entry.target.value, entry.unit) : "",
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
