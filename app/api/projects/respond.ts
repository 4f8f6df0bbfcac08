/** What the project routes share: report parameters from the query, and errors as JSON. */
import { outcomeOf, UserError } from "@/lib/errors/user-error";
import type { ReportParameters } from "@/lib/report/build";

/** `from`, `to` and `tz` of the query string; an empty value (`?from=`) means not given. */
export function windowParameters(request: Request): Pick<ReportParameters, "from" | "to" | "tz"> {
  const query = new URL(request.url).searchParams;
  const value = (name: string) => query.get(name) || undefined;
  return { from: value("from"), to: value("to"), tz: value("tz") };
}

/**
 * Runs a handler; a UserError becomes `{"error": "..."}` with its kind's status (404 for an
 * unknown project, 400 for a bad parameter: lib/errors), anything else a logged 500 that says
 * what could not be done (`failed`: "the report could not be computed").
 */
export async function respond(handler: () => Promise<Response>, failed = "the report could not be computed"): Promise<Response> {
  try {
    return await handler();
  } catch (error) {
    if (error instanceof UserError) return Response.json({ error: error.message }, { status: outcomeOf(error).status });
    console.error(error);
    return Response.json({ error: `internal error: ${failed} (see the server log)` }, { status: 500 });
  }
}
