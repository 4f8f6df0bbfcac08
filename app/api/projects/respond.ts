/** What the project routes share: report parameters from the query, and errors as JSON. */
import { ReportError, type ReportParameters } from "@/lib/report/build";

/** `from`, `to` and `tz` of the query string; an empty value (`?from=`) means not given. */
export function windowParameters(request: Request): Pick<ReportParameters, "from" | "to" | "tz"> {
  const query = new URL(request.url).searchParams;
  const value = (name: string) => query.get(name) || undefined;
  return { from: value("from"), to: value("to"), tz: value("tz") };
}

/** Runs a handler; a ReportError becomes 404 or 400 `{"error": "..."}`, anything else 500. */
export async function respond(handler: () => Promise<Response>): Promise<Response> {
  try {
    return await handler();
  } catch (error) {
    if (error instanceof ReportError) return Response.json({ error: error.message }, { status: error.kind === "not_found" ? 404 : 400 });
    console.error(error);
    return Response.json({ error: "internal error: the report could not be computed (see the server log)" }, { status: 500 });
  }
}
