/** The shipshape CLI (../shared/spec/interfaces.md). Each command lives in cli/commands/. */
import { Command, CommanderError } from "commander";
import type { CliIo } from "./io";

type Register = (program: Command, io: CliIo) => void;

/**
 * Each module of cli/commands/ and the commands it defines. Only the module of the command
 * asked for is loaded: between them they pull in all of lib/ (the email renderer, the GitHub
 * and Jira clients, Next.js), seconds that `shipshape users list` should not wait for. Help,
 * and a command not listed here, load them all.
 */
const modules: [commands: string[], load: () => Promise<Register>][] = [
  [["annotate"], async () => (await import("./commands/annotate")).registerAnnotate],
  [["demo"], async () => (await import("./commands/demo")).registerDemo],
  [["digest"], async () => (await import("./commands/digest")).registerDigest],
  [["kpis"], async () => (await import("./commands/kpis")).registerKpis],
  [["ingest", "rejections"], async () => (await import("./commands/ingest")).registerIngest],
  [["migrate"], async () => (await import("./commands/migrate")).registerMigrate],
  [["serve"], async () => (await import("./commands/serve")).registerServe],
  [["status"], async () => (await import("./commands/status")).registerStatus],
  [["subscribe", "unsubscribe"], async () => (await import("./commands/subscribe")).registerSubscribe],
  [["sync"], async () => (await import("./commands/sync")).registerSync],
  [["targets"], async () => (await import("./commands/targets")).registerTargets],
  [["tokens"], async () => (await import("./commands/tokens")).registerTokens],
  [["users"], async () => (await import("./commands/users")).registerUsers],
];

/** Exit code of a command line commander refuses (an unknown option, a missing argument). */
const USAGE_ERROR = 2;

/** Runs `shipshape ...args` with `io`'s streams and environment; resolves to its exit code. */
export async function runCli(args: readonly string[], io: CliIo): Promise<number> {
  const program = new Command("shipshape")
    .description("ML delivery KPIs and DORA metrics: code, models and data")
    .showHelpAfterError("(run shipshape --help for usage)")
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
      outputError: (text, write) => write(`shipshape: ${text.replace(/^error: /, "")}`),
    })
    // Throw instead of process.exit, so that a caller in this process gets the code back.
    .exitOverride();
  const asked = modules.filter(([commands]) => commands.includes(args[0] ?? ""));
  for (const [, load] of asked.length > 0 ? asked : modules) (await load())(program, io);
  try {
    await program.parseAsync(args, { from: "user" });
  } catch (error) {
    if (!(error instanceof CommanderError)) throw error;
    return error.exitCode === 0 ? 0 : USAGE_ERROR;
  }
  return io.exitCode;
}
