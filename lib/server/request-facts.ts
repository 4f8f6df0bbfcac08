/**
 * What only the server process knows about a request — the client's address, whether it came
 * over https, the site's own origin, the path asked for — passed to pages and routes as request
 * headers, because Next's Request objects carry no socket. `shipshape serve` overwrites these
 * headers on every request, so a client cannot forge them.
 *
 * Behind a reverse proxy every client has the proxy's address and the proxy speaks plain http;
 * SHIPSHAPE_TRUST_PROXY=1 takes the address, scheme and host from the proxy's X-Forwarded-*
 * headers instead (set it only when a proxy you run overwrites those headers).
 */
import type { IncomingMessage } from "node:http";
import type { TLSSocket } from "node:tls";

export const CLIENT_ADDRESS = "x-shipshape-client-address";
export const SITE_ORIGIN = "x-shipshape-site-origin";
export const REQUEST_PATH = "x-shipshape-path";

type Headers = { get(name: string): string | null };

export function stampRequestFacts(request: IncomingMessage, env: Record<string, string | undefined> = process.env): void {
  const trustProxy = env.SHIPSHAPE_TRUST_PROXY === "1";
  const forwarded = (name: string) => {
    const value = request.headers[name];
    // The last hop is the one our proxy added; earlier ones are whatever the client sent.
    return trustProxy && typeof value === "string" ? value.split(",").at(-1)!.trim() || undefined : undefined;
  };
  const https = (request.socket as TLSSocket).encrypted === true || forwarded("x-forwarded-proto") === "https";
  const host = forwarded("x-forwarded-host") ?? request.headers.host ?? "localhost";
  request.headers[CLIENT_ADDRESS] = forwarded("x-forwarded-for") ?? request.socket.remoteAddress ?? "unknown";
  request.headers[SITE_ORIGIN] = `${https ? "https" : "http"}://${host}`;
  request.headers[REQUEST_PATH] = pagePath(request.url ?? "/");
}

/** The client's address, as the server saw it ("unknown" outside `shipshape serve`, e.g. `next dev`). */
export function clientAddress(headers: Headers): string {
  return headers.get(CLIENT_ADDRESS) ?? "unknown";
}

/** The site's origin: stamped by the server, else taken from the Host header (e.g. `next dev`). */
export function siteOrigin(headers: Headers, fallbackUrl?: string): string {
  const stamped = headers.get(SITE_ORIGIN);
  if (stamped) return stamped;
  const host = headers.get("host");
  return host ? `http://${host}` : new URL(fallbackUrl ?? "http://localhost").origin;
}

export function isHttps(headers: Headers, fallbackUrl?: string): boolean {
  return siteOrigin(headers, fallbackUrl).startsWith("https:");
}

/** The page the request is for, to come back to after signing in; "/" when unknown. */
export function requestPath(headers: Headers): string {
  return headers.get(REQUEST_PATH) ?? "/";
}

/** A URL's path and query without Next's internal `_rsc` parameter. */
function pagePath(url: string): string {
  const parsed = new URL(url, "http://x");
  parsed.searchParams.delete("_rsc");
  return parsed.pathname + parsed.search;
}
