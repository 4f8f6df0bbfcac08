/**
 * What the API routes share: authorizing the caller, the runtime, report parameters from the
 * query, and errors as JSON — so a route is only what it reads and returns.
 */
import { authorize } from "@/lib/auth/guard";
import type { Role } from "@/lib/auth/users";
import type { Viewer } from "@/lib/auth/viewer";
import { outcomeOf, UserError } from "@/lib/errors/user-error";
import type { ReportParameters } from "@/lib/report/build";
import type { Runtime } from "@/lib/server/runtime";
import { getServerRuntime } from "@/lib/server/shared-runtime";

export interface RouteContext extends Runtime {
  viewer: Viewer;
}

/**
 * A route's answer: 401/403 unless the caller holds `role` (lib/auth/guard.ts), else what
 * `handler` returns, with a UserError or a failure answered as `respond` says.
 */
export async function answer(request: Request, role: Role, handler: (context: RouteContext) => Promise<Response>, failed?: string): Promise<Response> {
  const viewer = await authorize(request, role);
  if (viewer instanceof Response) return viewer;
  return respond(async () => handler({ viewer, ...(await getServerRuntime()) }), failed);
}

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
