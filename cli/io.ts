/**
 * What a command reads and writes. `shipshape` gives every command its process's streams and
 * environment (bin/shipshape.js → cli/main.ts); the tests run commands in their own process with
 * buffers (`runCli` in cli/program.ts), so no command reaches for console, process.env,
 * process.stdin or process.exitCode itself.
 */
import type { Readable, Writable } from "node:stream";
import type { Env } from "@/lib/config/load";

export interface CliIo {
  env: Env;
  stdin: Readable & { isTTY?: boolean; setRawMode?: (mode: boolean) => unknown };
  stdout: Writable & { isTTY?: boolean; columns?: number };
  stderr: Writable;
  /** The command's exit code; a command sets it, the program returns it. */
  exitCode: number;
}

/** The process's own streams and environment. */
export function processIo(): CliIo {
  return { env: process.env, stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, exitCode: 0 };
}

/** One line on stdout. */
export function print(io: CliIo, text: string): void {
  io.stdout.write(`${text}\n`);
}

/** One line on stderr. */
export function warn(io: CliIo, text: string): void {
  io.stderr.write(`${text}\n`);
}
