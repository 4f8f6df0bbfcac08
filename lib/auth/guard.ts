/**
 * The two gates: `requireViewer()` for pages (sends whoever may not view to the sign-in page)
 * and `authorize(request, role)` for HTTP routes (401 for no one, 403 for a role too low, 403
 * for a change without the session's CSRF token or from another site).
 */
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import type { Role } from "@/db/schema";
import { requestPath } from "@/lib/server/request-facts";
import { getServerRuntime } from "@/lib/server/shared-runtime";
import { CSRF_FIELD, CSRF_HEADER, csrfMatches, sameSite } from "./csrf";
import { cookieValue, SESSION_COOKIE } from "./sessions";
import { currentViewer, hasRole, resolveViewer, type Viewer } from "./viewer";

/** For server components: the viewer, or a redirect to /sign-in that comes back to this page. */
export async function requireViewer(): Promise<Viewer> {
  const viewer = await currentViewer();
  if (viewer) return viewer;
  redirect(`/sign-in?next=${encodeURIComponent(requestPath(await headers()))}`);
}

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * For route handlers: the viewer when they hold `role`, else the response to send.
 * Changes (POST, PUT, DELETE …) must also come from this site and, from a session, carry its
 * CSRF token in the X-CSRF-Token header.
 *
 *     const viewer = await authorize(request, "editor");
 *     if (viewer instanceof Response) return viewer;
 */
export async function authorize(request: Request, role: Role): Promise<Viewer | Response> {
  const { config, store } = await getServerRuntime();
  const viewer = await resolveViewer(store, config, cookieValue(request.headers.get("cookie"), SESSION_COOKIE));
  if (!viewer) return Response.json({ error: "sign in first" }, { status: 401 });
  if (!hasRole(viewer, role)) {
    const who = viewer.kind === "user" ? `you are signed in as ${viewer.email} (${viewer.role})` : `you are viewing as the ${viewer.kind} viewer`;
    return Response.json({ error: `this needs the ${role} role; ${who}` }, { status: 403 });
  }
  if (!SAFE_METHODS.has(request.method)) {
    if (!sameSite(request.headers, request.url)) return Response.json({ error: "cross-site request refused" }, { status: 403 });
    if (viewer.csrfToken && !csrfMatches(viewer.csrfToken, request.headers.get(CSRF_HEADER))) {
      return Response.json({ error: `missing or wrong ${CSRF_HEADER} header (the session's CSRF token)` }, { status: 403 });
    }
  }
  return viewer;
}

/**
 * For Server Actions: the viewer when they hold `role` and the form carries their session's
 * CSRF token, else one line saying why not. (Next also refuses actions posted from another
 * origin; the token is the defence that does not depend on it.)
 */
export async function authorizeForm(form: FormData, role: Role): Promise<{ viewer: Viewer } | { error: string }> {
  const viewer = await currentViewer();
  if (!viewer || viewer.kind !== "user") return refused(`Sign in with the ${role} role first.`);
  if (!hasRole(viewer, role)) return refused(`This needs the ${role} role; you are signed in as ${viewer.email} (${viewer.role}).`);
  if (!csrfMatches(viewer.csrfToken!, stringField(form, CSRF_FIELD))) return refused("The form expired; reload the page and try again.");
  return { viewer };
}

/**
 * A Server Action's refusal (not allowed, or about a project that does not exist): one line in
 * the server log, never a stack trace — a refusal is an answer, not a failure — and the line
 * for the form to show.
 */
export async function refused(error: string): Promise<{ error: string }> {
  console.warn(`shipshape: refused a change on ${requestPath(await headers())}: ${error}`);
  return { error };
}

function stringField(form: FormData, name: string): string | null {
  const value = form.get(name);
  return typeof value === "string" ? value : null;
}
