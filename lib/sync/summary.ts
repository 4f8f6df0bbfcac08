/** How a run's records read in one line, for the CLI, the scheduler's log and `shipshape status`. */
import type { SyncRunStatus } from "@/db/schema";

/**
 * "acme/api:pulls 12, acme/api:commits 30"; with none, "nothing new" for a run that succeeded
 * and "nothing stored" for one that did not (it may have missed what was new).
 */
export function describeRecords({ records, status }: { records: Record<string, number>; status: SyncRunStatus }, separator = ", "): string {
  const counts = Object.entries(records).map(([stream, count]) => `${stream} ${count}`);
  if (counts.length) return counts.join(separator);
  return status === "succeeded" || status === "running" ? "nothing new" : "nothing stored";
}
