import type { Command } from "commander";
import { type CliIo } from "@/cli/io";
import { serve } from "@/lib/server/serve";
import { reportError } from "@/cli/run";

export function registerServe(program: Command, io: CliIo) {
  program
    .command("serve")
    .description("migrate, then serve the dashboard and run the scheduler in this process (what `npm start` runs)")
    .option("--port <port>", "port to listen on (default: $PORT or 3000)")
    .option("--host <address>", "address to listen on (default: $HOST, else every address)")
    .action(async (options: { port?: string; host?: string }) => {
      try {
        await serve({ port: Number(options.port ?? io.env.PORT ?? 3000), host: options.host || io.env.HOST || undefined });
      } catch (error) {
        io.exitCode = reportError(io, error);
      }
    });
}
