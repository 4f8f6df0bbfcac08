import type { Command } from "commander";
import { withRuntime } from "@/cli/run";

export function registerMigrate(program: Command) {
  program
    .command("migrate")
    .description("bring the database schema up to date")
    .action(() =>
      withRuntime(async ({ store }) => {
        console.log(`database schema is up to date (${store.kind}: ${store.location})`);
      }),
    );
}
