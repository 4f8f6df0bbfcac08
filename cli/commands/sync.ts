import type { Command } from "commander";
import { runExclusively } from "@/lib/scheduler/guard";
import type { SourceName } from "@/lib/sync/run";
import { sources } from "@/lib/sync/sources";
import { UserError } from "@/cli/errors";
import { withRuntime } from "@/cli/run";

export function registerSync(program: Command) {
  program
    .command("sync")
    .description("one incremental sync of the configured sources; prints what it fetched")
    .option("--source <name>", "only this source: github, jira or deploy_logs")
    .action((options: { source?: string }) =>
      withRuntime(async ({ config, store }) => {
        const configured = (Object.keys(sources) as SourceName[]).filter((name) => config.sources[name]);
        if (options.source && !(options.source in sources)) {
          throw new UserError(`unknown source "${options.source}" (github, jira or deploy_logs)`, 2);
        }
        const selected = options.source ? [options.source as SourceName] : configured;
        if (options.source && !config.sources[options.source as SourceName]) {
          throw new UserError(`source ${options.source} is not configured (sources.${options.source} in ${config.path ?? "shipshape.yaml"})`, 2);
        }
        if (selected.length === 0) throw new UserError("no sources are configured (sources: in shipshape.yaml)", 2);
        let failed = false;
        for (const name of selected) {
          // Through the same lock as scheduled runs: never beside another run of the source.
          const outcome = await runExclusively(name, sources[name]!, { config, store, trigger: "manual", log: (line) => console.log(line) });
          if (!outcome.ran) {
            console.error(`${name}: not run: a run of it is going (see shipshape status)`);
            failed = true;
            continue;
          }
          const { result } = outcome;
          const fetched = Object.entries(result.records).map(([stream, count]) => `${stream} ${count}`).join(", ") || "nothing new";
          console.log(`${name}: ${result.status} — ${fetched}; ${result.requests} requests`);
          for (const error of result.errors) console.error(`${name}: ${error}`);
          failed ||= result.status !== "succeeded";
        }
        return failed ? 1 : 0;
      }),
    );
}
