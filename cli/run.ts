import { inspect } from "node:util";
import { DrizzleQueryError } from "drizzle-orm/errors";
import { outcomeOf, UserError } from "@/lib/errors/user-error";
import { openRuntime, type Runtime } from "@/lib/server/runtime";
import { warn, type CliIo } from "./io";

/**
 * Runs a command against the configured database and turns every failure into one line on
 * stderr and an exit code (SHIPSHAPE_DEBUG=1 shows the stack). The command returns its exit code.
 */
export async function withRuntime(io: CliIo, action: (runtime: Runtime) => Promise<number | void>): Promise<void> {
  let runtime: Runtime | undefined;
  try {
    runtime = await openRuntime(io.env);
    io.exitCode = (await action(runtime)) ?? 0;
  } catch (error) {
    io.exitCode = reportError(io, error);
  } finally {
    await runtime?.store.close().catch(() => {});
  }
}

export function reportError(io: CliIo, error: unknown): number {
  if (io.env.SHIPSHAPE_DEBUG === "1") warn(io, inspect(error));
  else warn(io, `shipshape: ${oneLine(error)}`);
  // A UserError's kind says its exit code (lib/errors); anything else is a failure: 1.
  return error instanceof UserError ? outcomeOf(error).exitCode : 1;
}

/** What went wrong in one line: a failed query says the database's reason, not the whole SQL. */
function oneLine(error: unknown): string {
  if (error instanceof DrizzleQueryError && error.cause) return `database error: ${error.cause.message}`;
  const message = error instanceof Error ? error.message : String(error);
  return message.split("\n")[0]!;
}
