import type { Command } from "commander";
import { serve } from "@/lib/server/serve";
import { reportError } from "@/cli/run";

export function registerServe(program: Command) {
  program
    .command("serve")
    .description("migrate, then serve the dashboard and run the scheduler in this process (what `npm start` runs)")
    .option("--port <port>", "port to listen on (default: $PORT or 3000)")
    .action(async (options: { port?: string }) => {
      try {
        await serve({ port: Number(options.port ?? process.env.PORT ?? 3000) });
      } catch (error) {
        process.exitCode = reportError(error);
      }
    });
}
