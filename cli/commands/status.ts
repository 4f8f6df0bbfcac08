import type { Command } from "commander";
import { print, type CliIo } from "@/cli/io";
import { sourcesStatus, type SourceStatus } from "@/lib/sync/status";
import { describeRecords } from "@/lib/sync/summary";
import { withRuntime } from "@/cli/run";

export function registerStatus(program: Command, io: CliIo) {
  program
    .command("status")
    .description("each configured source with its last sync runs: started, finished, status, records fetched, error")
    .option("--json", "print JSON ({\"sources\": [...]}), as GET /api/sources")
    .action((options: { json?: boolean }) =>
      withRuntime(io, async ({ config, store }) => {
        const sources = await sourcesStatus(config, store);
        if (options.json) print(io, JSON.stringify({ sources }, null, 2));
        else if (sources.length === 0) print(io, "no sources are configured (sources: in shipshape.yaml)");
        else print(io, sources.map(describeSource).join("\n\n"));
      }),
    );
}

/** A source, its last error and its runs; each failed part of a run (a repo, a project, a file) on a line of its own. */
function describeSource(status: SourceStatus): string {
  const lines = [`${status.source}  schedule "${status.schedule}", next run ${status.next_run_at ?? "never"}`];
  if (status.last_error) lines.push(`  last error (${status.last_error.at}):`, ...errorLines(status.last_error.error));
  if (status.runs.length === 0) lines.push("  no runs yet");
  for (const run of status.runs) {
    lines.push(`  ${run.started_at}  ${run.finished_at ?? "…".padEnd(24)}  ${run.status.padEnd(9)}  ${run.trigger.padEnd(8)}  ${describeRecords(run)}; ${run.requests} requests`);
    if (run.error) lines.push(...errorLines(run.error));
  }
  return lines.join("\n");
}

const errorLines = (error: string) => error.split("\n").map((line) => `    ${line}`);
