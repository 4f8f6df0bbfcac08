import type { Command } from "commander";
import { print, type CliIo } from "@/cli/io";
import { subscribe, unsubscribe } from "@/lib/digest/subscriptions";
import { withRuntime } from "@/cli/run";

interface SubscriptionOptions {
  project: string;
  email: string;
}

export function registerSubscribe(program: Command, io: CliIo) {
  program
    .command("subscribe")
    .description("add an address to a project's weekly email summary")
    .requiredOption("--project <slug>", "the project's slug")
    .requiredOption("--email <address>", "who receives it")
    .action((options: SubscriptionOptions) =>
      withRuntime(io, async ({ config, store }) => {
        const { changed } = await subscribe(store, config, options);
        print(io, `${options.email.trim().toLowerCase()} ${changed ? "now receives" : "already receives"} ${options.project}'s weekly summary`);
      }),
    );

  program
    .command("unsubscribe")
    .description("remove an address from a project's weekly email summary")
    .requiredOption("--project <slug>", "the project's slug")
    .requiredOption("--email <address>", "who no longer receives it")
    .action((options: SubscriptionOptions) =>
      withRuntime(io, async ({ config, store }) => {
        const { changed } = await unsubscribe(store, config, options);
        print(io, `${options.email.trim().toLowerCase()} ${changed ? "no longer receives" : "was not receiving"} ${options.project}'s weekly summary`);
      }),
    );
}
