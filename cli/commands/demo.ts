import type { Command } from "commander";
import { print, type CliIo } from "@/cli/io";
import { demoLastDay, writeDemoData } from "@/lib/demo/generate";
import { UserError } from "@/lib/errors/user-error";
import { withRuntime } from "@/cli/run";

export function registerDemo(program: Command, io: CliIo) {
  program
    .command("demo")
    .description("(re)generate the demo organisation: six months of history for three projects, ending yesterday")
    .action(() =>
      withRuntime(io, async ({ config, store }) => {
        if (!config.demo) {
          throw new UserError(
            `the demo replaces every stored record, so it runs only without a configuration file (found ${config.path})`,
            "invalid",
          );
        }
        const yesterday = demoLastDay();
        await writeDemoData(store, yesterday);
        print(io, `generated the demo organisation (${config.projects.map((p) => p.slug).join(", ")}) ending ${yesterday} in ${store.location}`);
      }),
    );
}
