/**
 * The one error a user can fix: a request lib/ refuses, with a `kind` that says why and a
 * message of one line that says where and what. The HTTP routes and the CLI both turn it into
 * their answer through `outcomeOf`, so an unknown project is a 404 on the API and exit code 2
 * on the command line everywhere (interfaces.md), and no caller keeps its own table.
 */
import type { z } from "zod";

export type ErrorKind =
  /** Something named does not exist: a project, a KPI, a user, a token. */
  | "not_found"
  /** The request itself is wrong: a bad date, zone, number, field or flag. */
  | "invalid"
  /** The request is fine but the current state forbids it (the last admin). */
  | "conflict"
  /** This installation is not set up for it: a bad configuration file, no `email:` block. */
  | "unavailable"
  /** The user stopped it (Ctrl-C at a prompt). */
  | "cancelled";

export class UserError extends Error {
  constructor(
    message: string,
    readonly kind: ErrorKind,
  ) {
    super(message);
  }
}

export interface Outcome {
  /** The HTTP status a route answers with. */
  status: number;
  /** The exit code the CLI ends with. */
  exitCode: number;
}

/**
 * Exit code 2 is a request the user can correct and run again (interfaces.md: unknown project,
 * bad date or zone); 1 is a setup to fix first; 130 is the shell's "stopped by Ctrl-C". A
 * cancelled request has no HTTP form; 499 is what proxies log for a client that went away.
 */
const outcomes: Record<ErrorKind, Outcome> = {
  not_found: { status: 404, exitCode: 2 },
  invalid: { status: 400, exitCode: 2 },
  conflict: { status: 409, exitCode: 2 },
  unavailable: { status: 503, exitCode: 1 },
  cancelled: { status: 499, exitCode: 130 },
};

export function outcomeOf(error: UserError): Outcome {
  return outcomes[error.kind];
}

/** The first problem of a zod result as one line: "value: Invalid input: expected number, received string". */
export function firstIssue(error: z.ZodError): string {
  const [issue] = error.issues;
  return `${issue!.path.join(".") || "body"}: ${issue!.message}`;
}

/** A zod failure as an `invalid` UserError naming its first problem. */
export function invalidInput(error: z.ZodError): UserError {
  return new UserError(firstIssue(error), "invalid");
}
