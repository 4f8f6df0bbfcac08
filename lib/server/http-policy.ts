/**
 * What `shipshape serve` does to every request before Next sees it, besides the request facts:
 * the security headers of every response, and the refusal of cross-site changes to pages.
 *
 * Headers: a Content-Security-Policy whose scripts come from this site or carry the request's
 * nonce (Next reads the nonce from the request's own Content-Security-Policy header and puts it
 * on its inline bootstrap scripts, so the header is stamped on the request as well), no framing
 * by other pages (`frame-ancestors 'none'`, and X-Frame-Options for older browsers), no MIME
 * sniffing, and no Referer to other sites. Styles may be inline: React writes style attributes,
 * and the weekly email, previewed in a sandboxed srcdoc frame that inherits this policy, is
 * styled inline as every email is; its charts are data: images.
 *
 * Changes to pages: a POST (PUT, DELETE …) to a page — which is how Server Actions arrive —
 * whose Origin is another site or `null` is answered 403 with one line, and one that declares
 * a body larger than the forms' limit 413, each logged in one line. Next refuses both too, but
 * as a 500 with a stack trace (its own limit, `serverActions.bodySizeLimit` in next.config.ts,
 * set to the same size, still stops a body sent without Content-Length that way). Routes under
 * /api/ check both themselves (lib/auth/guard.ts `authorize`, lib/server/body.ts), in JSON.
 */
import { randomBytes } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { sameSite } from "@/lib/auth/csrf";
import { BODY_LIMITS, size } from "./body";

export function contentSecurityPolicy(nonce: string): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}'`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

export const SECURITY_HEADERS = {
  "X-Content-Type-Options": "nosniff",
  "X-Frame-Options": "DENY",
  "Referrer-Policy": "same-origin",
} as const;

/** Sets the security headers on the response, and the CSP with a fresh nonce on the request for Next. */
export function applySecurityHeaders(request: IncomingMessage, response: ServerResponse): void {
  const policy = contentSecurityPolicy(randomBytes(16).toString("base64"));
  request.headers["content-security-policy"] = policy;
  response.setHeader("Content-Security-Policy", policy);
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) response.setHeader(name, value);
}

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * Answers a change sent to a page from another site (403) or too large for a form (413), after
 * `stampRequestFacts`, which knows this site's origin; true when it did, and the request needs
 * nothing more.
 */
export function refusePageChange(request: IncomingMessage, response: ServerResponse, log: (line: string) => void): boolean {
  const path = request.url ?? "/";
  if (SAFE_METHODS.has(request.method ?? "GET") || path.startsWith("/api/")) return false;
  const headers = { get: (name: string) => firstValue(request.headers[name]) };
  const refuse = (status: number, logged: string, answer: string) => {
    log(`refused a ${request.method} to ${shown(path)}: ${logged}`);
    response.writeHead(status, { "Content-Type": "text/plain; charset=utf-8" });
    response.end(`${answer}\n`);
    return true;
  };
  if (!sameSite(headers)) {
    const origin = headers.get("origin") ?? `Sec-Fetch-Site ${headers.get("sec-fetch-site")}`;
    return refuse(403, `cross-site (Origin: ${shown(origin)})`, "This form was sent from another site, so it was refused. Open the page on this site and send it from there.");
  }
  const length = Number(headers.get("content-length"));
  if (length > BODY_LIMITS.small) {
    return refuse(413, `${length} bytes, forms take at most ${size(BODY_LIMITS.small)}`, `This form is larger than ${size(BODY_LIMITS.small)}, so it was refused.`);
  }
  return false;
}

function firstValue(value: string | string[] | undefined): string | null {
  return (Array.isArray(value) ? value[0] : value) ?? null;
}

/** A client's text as it may go into one log line: printable, and not too long. */
function shown(text: string): string {
  const printable = text.replace(/[^\x20-\x7e]/g, "?");
  return printable.length > 120 ? `${printable.slice(0, 119)}…` : printable;
}
