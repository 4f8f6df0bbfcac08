/**
 * Where to go after signing in: only a path on this site. `?next=https://evil.example`,
 * `//evil.example` (a protocol-relative URL) or a path that a URL parser normalises into one
 * (`/..//evil.example`, `/\evil.example`, `/\t/evil.example`) would send a fresh session's user
 * elsewhere. So the path is normalised first and what comes out is what is checked and
 * returned: the browser gets exactly the string that was judged safe.
 */
const ORIGIN = "http://shipshape.invalid";

export function safeNextPath(next: unknown): string {
  if (typeof next !== "string" || !next.startsWith("/")) return "/";
  let url: URL;
  try {
    url = new URL(next, ORIGIN);
  } catch {
    return "/";
  }
  if (url.origin !== ORIGIN || url.pathname.startsWith("/sign-in")) return "/";
  const path = url.pathname + url.search + url.hash;
  return isSameOriginPath(path) ? path : "/";
}

/**
 * Whether a browser reads `path` as a path on this site: one slash first and no second slash
 * or backslash after it (else it names a host), and it resolves to itself here.
 */
function isSameOriginPath(path: string): boolean {
  if (!path.startsWith("/") || path.startsWith("//") || path.startsWith("/\\")) return false;
  try {
    const again = new URL(path, ORIGIN);
    return again.origin === ORIGIN && again.pathname + again.search + again.hash === path;
  } catch {
    return false;
  }
}
