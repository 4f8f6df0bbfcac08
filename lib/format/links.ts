/** A source's link as an href only when it is http(s): a `javascript:` or `data:` URL from a source must not become a link. */
export function webLink(url: string | null): string | null {
  return url !== null && /^https?:\/\//i.test(url.trim()) ? url.trim() : null;
}
