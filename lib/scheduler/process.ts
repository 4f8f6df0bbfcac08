/**
 * The server process's scheduler, for route handlers: a webhook asks it for a prompt run. Next
 * bundles routes apart from the CLI's modules, so it lives on globalThis; and this module
 * imports no source, so the route's bundle does not take in every connector.
 */
import type { SourceName } from "@/lib/sync/run";

export interface SyncRequests {
  requestSync(source: SourceName, part: string): void;
}

declare global {
  var __shipshapeScheduler: SyncRequests | undefined;
}

export function processScheduler(): SyncRequests | undefined {
  return globalThis.__shipshapeScheduler;
}

export function setProcessScheduler(scheduler: SyncRequests | undefined): void {
  globalThis.__shipshapeScheduler = scheduler;
}
