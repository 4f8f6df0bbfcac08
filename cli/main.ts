/** `shipshape` itself: the CLI (cli/program.ts) on this process's streams and environment. */
import { processIo } from "./io";
import { runCli } from "./program";

process.exitCode = await runCli(process.argv.slice(2), processIo());
