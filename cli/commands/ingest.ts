import type { Command } from "commander";
import { print, warn, type CliIo } from "@/cli/io";
import { DeployLogFileError, deploymentLogTypes, ingestFile, listRejections, type IngestResult } from "@/lib/ingest/ingest";
import { UserError } from "@/lib/errors/user-error";
import { withRuntime } from "@/cli/run";

/** Exit codes of `shipshape ingest` (inputs.md). */
const ALL_ACCEPTED = 0;
const UNREADABLE = 1;
const SOME_REJECTED = 3;

export function registerIngest(program: Command, io: CliIo) {
  program
    .command("ingest")
    .description(
      "ingest deployment-log files (.jsonl, .ndjson, .json as JSON Lines, or .csv); prints what was stored and each rejected line. " +
        "Exit 0: all accepted, 3: some lines rejected (the good ones are stored), 1: a file could not be read",
    )
    .argument("<file...>", "deployment-log files")
    .action((files: string[]) =>
      withRuntime(io, async ({ config, store }) => {
        let code = ALL_ACCEPTED;
        for (const file of files) {
          try {
            const result = await ingestFile(store, file, { config, onRejected: ({ line, reason }) => warn(io, `${file}:${line}: ${reason}`) });
            print(io, `${file}: ${summary(result)}`);
            if (result.rejected > 0 && code === ALL_ACCEPTED) code = SOME_REJECTED;
          } catch (error) {
            if (!(error instanceof DeployLogFileError)) throw error;
            warn(io, `shipshape: ${file}: ${error.message}`);
            code = UNREADABLE;
          }
        }
        return code;
      }),
    );

  program
    .command("rejections")
    .description("list rejected deployment-log lines kept in the database, newest first")
    .option("--origin <file>", "only those of this file (or http for POST /api/ingest)")
    .option("--limit <n>", "at most this many", "50")
    .option("--json", "as JSON, with the whole raw line")
    .action((options: { origin?: string; limit: string; json?: boolean }) =>
      withRuntime(io, async ({ store }) => {
        const limit = Number(options.limit);
        if (!Number.isInteger(limit) || limit < 1) throw new UserError(`--limit must be a positive whole number (got "${options.limit}")`, "invalid");
        const rows = await listRejections(store, { origin: options.origin, limit });
        if (options.json) {
          print(io, JSON.stringify(rows, null, 2));
          return;
        }
        if (rows.length === 0) print(io, "no rejected lines");
        for (const row of rows) print(io, `${row.origin}:${row.line}: ${row.reason}\n    ${truncate(row.raw, 120)}`);
      }),
    );
}

function summary(result: IngestResult): string {
  const stored = deploymentLogTypes
    .map((type) => {
      const counts = result.types[type];
      const parts = (["inserted", "updated", "unchanged"] as const).filter((key) => counts[key] > 0).map((key) => `${counts[key]} ${key}`);
      return parts.length ? `${type} ${parts.join(", ")}` : undefined;
    })
    .filter(Boolean);
  const records = `${result.accepted} record${result.accepted === 1 ? "" : "s"}${stored.length ? ` (${stored.join("; ")})` : ""}`;
  return `${records}, ${result.rejected} line${result.rejected === 1 ? "" : "s"} rejected`;
}

function truncate(text: string, length: number): string {
  const oneLine = text.replace(/\s+/g, " ");
  return oneLine.length > length ? `${oneLine.slice(0, length - 1)}…` : oneLine;
}
