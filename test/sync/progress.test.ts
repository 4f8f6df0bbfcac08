/** The sync's progress line and how `shipshape sync` prints it on a terminal and elsewhere. */
import { describe, expect, it } from "vitest";
import { syncOutput } from "@/cli/progress";
import { describeRemaining, estimateRemaining, formatProgress, type SyncProgress } from "@/lib/sync/progress";

const at = (fields: Partial<SyncProgress>): SyncProgress => ({
  source: "github",
  part: "acme/web",
  index: 2,
  total: 5,
  stream: "pulls",
  records: 1200,
  requests: 45,
  budget: "4,812 points left",
  remainingMs: 150_000,
  done: false,
  ...fields,
});

describe("sync progress", () => {
  it("estimates the time left at the pace of the parts done", () => {
    expect(estimateRemaining(0, 5, 10_000)).toBeNull();
    // 2 parts in 60 s: 30 s each, 3 to go.
    expect(estimateRemaining(2, 5, 60_000)).toBe(90_000);
    expect(estimateRemaining(5, 5, 60_000)).toBe(0);
  });

  it("says the time left as a person would", () => {
    expect(describeRemaining(20_000)).toBe("under a minute");
    expect(describeRemaining(150_000)).toBe("about 3 min");
    expect(describeRemaining(2 * 3_600_000 + 10 * 60_000)).toBe("about 2 h 10 min");
    expect(describeRemaining(3_600_000)).toBe("about 1 h");
  });

  it("is one line: part of parts, stream, records, requests, rate limit left, time left", () => {
    expect(formatProgress(at({}))).toBe("[2/5] acme/web · pulls · 1,200 records · 45 requests · 4,812 points left · about 3 min left");
    expect(formatProgress(at({ budget: null, remainingMs: null }))).toBe("[2/5] acme/web · pulls · 1,200 records · 45 requests");
    // The last part done: nothing left to estimate.
    expect(formatProgress(at({ index: 5, stream: null, done: true, remainingMs: 0 }))).toBe("[5/5] acme/web · done · 1,200 records · 45 requests · 4,812 points left");
  });

  it("on a terminal, redraws one status line under the log lines and takes it away at the end", () => {
    const written: string[] = [];
    let clock = 0;
    const output = syncOutput({ isTTY: true, columns: 200, write: (chunk: string) => written.push(chunk) > 0 }, () => clock);
    output.progress(at({ stream: "repository", records: 0 }));
    // Within 100 ms of the last redraw: remembered, not drawn.
    clock = 50;
    output.progress(at({ records: 100 }));
    output.log("acme/web: synced (45 requests)");
    clock = 200;
    output.progress(at({ records: 1200 }));
    output.end();
    expect(written).toEqual([
      "\r\x1b[2K[2/5] acme/web · repository · 0 records · 45 requests · 4,812 points left · about 3 min left",
      // A log line clears the status line, scrolls up, and the status is drawn again below it.
      "\r\x1b[2Kacme/web: synced (45 requests)\n",
      "\r\x1b[2K[2/5] acme/web · pulls · 100 records · 45 requests · 4,812 points left · about 3 min left",
      "\r\x1b[2K[2/5] acme/web · pulls · 1,200 records · 45 requests · 4,812 points left · about 3 min left",
      "\r\x1b[2K",
    ]);
  });

  it("cuts the status line to the terminal's width", () => {
    const written: string[] = [];
    syncOutput({ isTTY: true, columns: 20, write: (chunk: string) => written.push(chunk) > 0 }).progress(at({}));
    expect(written).toEqual(["\r\x1b[2K[2/5] acme/web · p…"]);
  });

  it("elsewhere, plain lines: the log lines, and one progress line per part done", () => {
    const written: string[] = [];
    const output = syncOutput({ isTTY: false, columns: 0, write: (chunk: string) => written.push(chunk) > 0 });
    output.progress(at({}));
    output.log("acme/web: synced (45 requests)");
    output.progress(at({ stream: null, done: true }));
    output.end();
    expect(written).toEqual(["acme/web: synced (45 requests)\n", "[2/5] acme/web · done · 1,200 records · 45 requests · 4,812 points left · about 3 min left\n"]);
  });
});
