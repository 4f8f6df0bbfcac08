import type { Command } from "commander";
import { runSync, type SourceName } from "../../lib/sync/run";
import { sources } from "../../lib/sync/sources";
import { UserError } from "../errors";
import { withRuntime } from "../run";

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
          const result = await runSync(name, sources[name]!, { config, store, trigger: "manual", log: (line) => console.log(line) });
          const fetched = Object.entries(result.records).map(([stream, count]) => `${stream} ${count}`).join(", ") || "nothing new";
          console.log(`${name}: ${result.status} — ${fetched}; ${result.requests} requests`);
          for (const error of result.errors) console.error(`${name}: ${error}`);
          failed ||= result.status !== "succeeded";
        }
        return failed ? 1 : 0;
      }),
    );
}
