/**
 * `shipshape sync`'s output. On a terminal, the run's log lines scroll above one status line
 * redrawn in place (formatProgress: part, stream, records, requests, rate limit left, time
 * left); elsewhere (a pipe, a file, cron's mail) no escape codes: the log lines and, after each
 * part, its progress as one plain line.
 */
import { formatProgress, type SyncProgress } from "@/lib/sync/progress";

/** Redraws at most this often: a busy stream stores a batch every few milliseconds. */
const REDRAW_MS = 100;
const CLEAR_LINE = "\r\x1b[2K";

export interface SyncOutput {
  log(line: string): void;
  progress(progress: SyncProgress): void;
  /** Takes the status line away (before the run's summary). */
  end(): void;
}

export function syncOutput(out: { write(text: string): unknown; isTTY?: boolean; columns?: number }, now: () => number = Date.now): SyncOutput {
  if (!out.isTTY) {
    return {
      log: (line) => void out.write(`${line}\n`),
      progress: (p) => {
        if (p.done) out.write(`${formatProgress(p)}\n`);
      },
      end: () => {},
    };
  }
  let status = "";
  let drawnAt = -Infinity;
  const draw = () => out.write(`${CLEAR_LINE}${status}`);
  return {
    log(line) {
      out.write(`${status ? CLEAR_LINE : ""}${line}\n`);
      if (status) draw();
    },
    progress(p) {
      const line = formatProgress(p);
      // One column short of the width: a full line would wrap on some terminals.
      status = out.columns && line.length >= out.columns ? `${line.slice(0, out.columns - 2)}…` : line;
      if (p.done || now() - drawnAt >= REDRAW_MS) {
        drawnAt = now();
        draw();
      }
    },
    end() {
      if (status) out.write(CLEAR_LINE);
      status = "";
    },
  };
}
