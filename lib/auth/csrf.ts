/**
 * Cross-site request forgery defences for anything that changes data:
 * - the session's own CSRF token must come back with the change (a hidden form field, or the
 *   X-CSRF-Token header for fetch), which another site cannot read;
 * - a request whose Origin header names another site is refused outright (this also covers
 *   the sign-in form, which has no session yet);
 * - and the session cookie is SameSite=Lax, so browsers do not send it with cross-site posts.
 */
import { createHash, timingSafeEqual } from "node:crypto";
import { siteOrigin } from "@/lib/server/request-facts";

export const CSRF_FIELD = "csrf_token";
export const CSRF_HEADER = "x-csrf-token";

/** Constant-time comparison; hashing first makes the lengths equal and hides the expected length. */
export function csrfMatches(expected: string, given: string | null | undefined): boolean {
  if (!given) return false;
  const digest = (text: string) => createHash("sha256").update(text).digest();
  return timingSafeEqual(digest(expected), digest(given));
}

/**
 * Whether a state-changing request may come from where it says it comes from. Browsers send
 * Origin with every POST, PUT and DELETE; it must be this site. Without Origin (curl, scripts)
 * the Fetch Metadata header decides when present, and otherwise the CSRF token does the work.
 */
export function sameSite(headers: { get(name: string): string | null }, requestUrl?: string): boolean {
  const origin = headers.get("origin");
  if (origin) return origin === siteOrigin(headers, requestUrl);
  const fetchSite = headers.get("sec-fetch-site");
  return fetchSite === null || fetchSite === "same-origin" || fetchSite === "none";
}
