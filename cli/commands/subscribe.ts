import type { Command } from "commander";
import { subscribe, SubscriptionError, unsubscribe } from "@/lib/digest/subscriptions";
import { UserError } from "@/cli/errors";
import { withRuntime } from "@/cli/run";

/** Exit code for an unknown project or an address that is not one. */
const BAD_INPUT = 2;

interface SubscriptionOptions {
  project: string;
  email: string;
}

export function registerSubscribe(program: Command) {
  program
    .command("subscribe")
    .description("add an address to a project's weekly email summary")
    .requiredOption("--project <slug>", "the project's slug")
    .requiredOption("--email <address>", "who receives it")
    .action((options: SubscriptionOptions) =>
      withRuntime(async ({ config, store }) => {
        const { changed } = await refusingBadInput(() => subscribe(store, config, options));
        console.log(`${options.email.trim().toLowerCase()} ${changed ? "now receives" : "already receives"} ${options.project}'s weekly summary`);
      }),
    );

  program
    .command("unsubscribe")
    .description("remove an address from a project's weekly email summary")
    .requiredOption("--project <slug>", "the project's slug")
    .requiredOption("--email <address>", "who no longer receives it")
    .action((options: SubscriptionOptions) =>
      withRuntime(async ({ config, store }) => {
        const { changed } = await refusingBadInput(() => unsubscribe(store, config, options));
        console.log(`${options.email.trim().toLowerCase()} ${changed ? "no longer receives" : "was not receiving"} ${options.project}'s weekly summary`);
      }),
    );
}

async function refusingBadInput<T>(action: () => Promise<T>): Promise<T> {
  try {
    return await action();
  } catch (error) {
    if (error instanceof SubscriptionError) throw new UserError(error.message, BAD_INPUT);
    throw error;
  }
}
