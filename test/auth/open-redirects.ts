/**
 * `next` values that must not take a signed-in user to another site (issue 22): each one, as a
 * browser or a URL parser reads it, names a host or is not a path. The sign-in page's GET
 * redirect, its form's redirect and safeNextPath itself are tested with all of them.
 */
export const OPEN_REDIRECTS = [
  "//x",
  "/\\x",
  "/..//x",
  "/.//x",
  "/%2e%2e//x",
  "/%2E//x",
  "/../..//x",
  "%2F%2Fx",
  "%2F..%2F%2Fevil.example%2Fphish",
  "/..//evil.example/phish",
  "/\\/x",
  "\\\\x",
  "/\t/x",
  "/\n/x",
  "/\r\n/x",
  "\t//x",
  "/\t\\x",
  "/.\t.//x",
  " //x",
  "http://x",
  "https:x",
];
