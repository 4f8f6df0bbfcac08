import type { Command } from "commander";
import { print, warn, type CliIo } from "@/cli/io";
import { runExclusively } from "@/lib/scheduler/guard";
import { SOURCE_NAMES, type SourceName } from "@/lib/sync/run";
import { sourceSync } from "@/lib/sync/runner";
import { describeRecords } from "@/lib/sync/summary";
import { UserError } from "@/lib/errors/user-error";
import { syncOutput } from "@/cli/progress";
import { withRuntime } from "@/cli/run";

export function registerSync(program: Command, io: CliIo) {
  program
    .command("sync")
    .description("one incremental sync of the configured sources; prints what it fetched")
    .option("--source <name>", `only this source: ${SOURCE_NAMES.join(", ")}`)
    .action((options: { source?: string }) =>
      withRuntime(io, async ({ config, store }) => {
        const configured = SOURCE_NAMES.filter((name) => config.sources[name]);
        if (options.source && !SOURCE_NAMES.includes(options.source as SourceName)) {
          throw new UserError(`unknown source "${options.source}" (${SOURCE_NAMES.join(", ")})`, "invalid");
        }
        const selected = options.source ? [options.source as SourceName] : configured;
        if (options.source && !config.sources[options.source as SourceName]) {
          throw new UserError(`source ${options.source} is not configured (sources.${options.source} in ${config.path ?? "shipshape.yaml"})`, "invalid");
        }
        if (selected.length === 0) throw new UserError("no sources are configured (sources: in shipshape.yaml)", "invalid");
        let failed = false;
        const output = syncOutput(io.stdout);
        for (const name of selected) {
          // Through the same lock as scheduled runs: never beside another run of the source.
          const outcome = await runExclusively(name, sourceSync(name), { config, store, trigger: "manual", log: output.log, progress: output.progress });
          output.end();
          if (!outcome.ran) {
            warn(io, `${name}: not run: a run of it is going (see shipshape status)`);
            failed = true;
            continue;
          }
          const { result } = outcome;
          print(io, `${name}: ${result.status} — ${describeRecords(result)}; ${result.requests} requests`);
          for (const error of result.errors) warn(io, `${name}: ${error}`);
          failed ||= result.status !== "succeeded";
        }
        return failed ? 1 : 0;
      }),
    );
}
