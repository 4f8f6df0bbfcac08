import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

export default defineConfig({
  // The "@/" import alias of tsconfig.json (the repository root).
  resolve: { alias: { "@": fileURLToPath(new URL(".", import.meta.url)) } },
  test: {
    include: ["test/**/*.test.ts"],
    globalSetup: ["test/support/global-setup.ts"],
    // vitest's own report, then the plain "N passed, N failed" line (summary-reporter.ts).
    reporters: ["default", "./test/support/summary-reporter.ts"],
    // Bounds on a hang, not on speed: several test runs share these 2-core machines, and a test
    // that takes 3 s alone takes ten times that beside them (speed is measured in npm run bench).
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // PGlite takes ~400 MB per instance: two files at a time fit these 2-core machines.
    maxWorkers: 2,
    // Files share their worker's module cache instead of importing everything again in a new
    // process each: 11 s of imports a run instead of 84 s, 523 s of wall time against 639 s
    // (docs/testing.md). So a test file leaves no global state behind: it closes what it opens
    // and restores what it changes (no file uses vi.mock, whose module replacement would leak).
    isolate: false,
  },
});
