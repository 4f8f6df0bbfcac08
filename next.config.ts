import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // Both database drivers must load from node_modules at run time, not be bundled.
  serverExternalPackages: ["@electric-sql/pglite", "postgres"],
};

export default nextConfig;
