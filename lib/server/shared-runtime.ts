/**
 * The web server's one runtime (config + store) per process. PGlite allows one process per data
 * directory, so the server process opens the store once at start (`shipshape serve`) and every
 * route and page reads it from here. Next bundles route code separately from the CLI's copy of
 * this module, so the runtime lives on globalThis, not in a module variable.
 */
import { openRuntime, type Runtime } from "./runtime";

declare global {
  var __shipshapeRuntime: Promise<Runtime> | undefined;
}

export function getServerRuntime(): Promise<Runtime> {
  globalThis.__shipshapeRuntime ??= openRuntime().catch((error: unknown) => {
    // Don't cache a failure: the next request tries again (e.g. after the database comes up).
    globalThis.__shipshapeRuntime = undefined;
    throw error;
  });
  return globalThis.__shipshapeRuntime;
}

export function setServerRuntime(runtime: Runtime): void {
  globalThis.__shipshapeRuntime = Promise.resolve(runtime);
}
