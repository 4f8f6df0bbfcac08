/**
 * Where to go after signing in: only a path on this site. `?next=https://evil.example` or
 * `//evil.example` (a protocol-relative URL) would send a fresh session's user elsewhere.
 */
export function safeNextPath(next: unknown): string {
  if (typeof next !== "string" || !next.startsWith("/") || next.startsWith("//") || next.startsWith("/\\")) return "/";
  // Resolving against a dummy origin catches tricks like "/\t/evil.example" that browsers normalise.
  const url = new URL(next, "http://shipshape.invalid");
  if (url.origin !== "http://shipshape.invalid" || url.pathname.startsWith("/sign-in")) return "/";
  return url.pathname + url.search + url.hash;
}
