import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // Both database drivers, and the canvas (a native addon) that draws the weekly email's
  // charts, must load from node_modules at run time, not be bundled.
  serverExternalPackages: ["@electric-sql/pglite", "postgres", "@napi-rs/canvas"],
  // `npm test` type-checks the whole project (tsc); `npm start` should not fail on a test file.
  typescript: { ignoreBuildErrors: true },
  // Server Actions (the pages' forms) read no more than any small body, BODY_LIMITS.small in
  // lib/server/body.ts (this file cannot import it when the server loads it; a test checks
  // they agree): `shipshape serve` answers 413 to a larger Content-Length before Next sees it,
  // and this stops a body sent without one.
  experimental: { serverActions: { bodySizeLimit: 64 * 1024 } },
};

export default nextConfig;
