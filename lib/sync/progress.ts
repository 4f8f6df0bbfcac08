/**
 * Where a sync run is, for whoever watches it (`shipshape sync` draws it on a terminal and
 * prints a plain line per part elsewhere): the part (repo, Jira project, file) out of how many,
 * the stream being read, the part's records and requests so far, what the source says is left
 * of its rate limit, and an estimate of the time left from the parts done so far.
 */

export interface SyncProgress {
  source: string;
  /** The part's key (`owner/name` for GitHub). */
  part: string;
  /** 1-based. */
  index: number;
  total: number;
  /** The stream being read; null once the part is done. */
  stream: string | null;
  /** Records stored and requests sent for this part so far. */
  records: number;
  requests: number;
  /** What is left of the source's rate limit ("4,812 points left"), when it says. */
  budget: string | null;
  /** Milliseconds the remaining parts will take, at the pace of those done; null before one is done. */
  remainingMs: number | null;
  done: boolean;
}

/** Time left for `total` parts when `done` of them took `elapsedMs`. */
export function estimateRemaining(done: number, total: number, elapsedMs: number): number | null {
  if (done === 0) return null;
  return Math.round((elapsedMs / done) * (total - done));
}

const number = new Intl.NumberFormat("en-US");

/** "about 3 min", "under a minute", "about 2 h 10 min". */
export function describeRemaining(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  if (minutes < 1) return "under a minute";
  if (minutes < 60) return `about ${minutes} min`;
  const rest = minutes % 60;
  return `about ${Math.floor(minutes / 60)} h${rest ? ` ${rest} min` : ""}`;
}

/** One line: "[2/5] acme/web · pulls · 1,200 records · 45 requests · 4,812 points left · about 2 min left". */
export function formatProgress(p: SyncProgress): string {
  return [
    `[${p.index}/${p.total}] ${p.part}`,
    p.done ? "done" : p.stream,
    `${number.format(p.records)} records`,
    `${number.format(p.requests)} requests`,
    p.budget,
    p.remainingMs === null ? null : p.index === p.total && p.done ? null : `${describeRemaining(p.remainingMs)} left`,
  ]
    .filter((part): part is string => part !== null)
    .join(" · ");
}
