import type { Command } from "commander";
import { print, type CliIo } from "@/cli/io";
import { withRuntime } from "@/cli/run";

export function registerMigrate(program: Command, io: CliIo) {
  program
    .command("migrate")
    .description("bring the database schema up to date")
    .action(() =>
      withRuntime(io, async ({ store }) => {
        print(io, `database schema is up to date (${store.kind}: ${store.location})`);
      }),
    );
}
