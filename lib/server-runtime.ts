/**
 * The web server's one runtime (configuration and store), shared by every route handler.
 *
 * It lives on globalThis because Next.js may load a route's modules more than once (one copy
 * per bundle), while the embedded database must be opened only once per process. The server
 * sets it at start; a handler running without it (`next dev`, tests) opens one on first use.
 */
import { openRuntime, type Runtime } from "./runtime";

declare global {
  var __shipshapeRuntime: Runtime | Promise<Runtime> | undefined;
}

/** Called by the server process once it has opened and migrated the database. */
export function setServerRuntime(runtime: Runtime | undefined): void {
  globalThis.__shipshapeRuntime = runtime;
}

export async function getServerRuntime(): Promise<Runtime> {
  if (!globalThis.__shipshapeRuntime) {
    // Cache the promise, not its result, so concurrent first requests open one store, not two.
    const opening = openRuntime();
    globalThis.__shipshapeRuntime = opening;
    opening.catch(() => {
      // A failed start (bad config) is not cached: the next request tries again.
      if (globalThis.__shipshapeRuntime === opening) globalThis.__shipshapeRuntime = undefined;
    });
  }
  return globalThis.__shipshapeRuntime;
}
