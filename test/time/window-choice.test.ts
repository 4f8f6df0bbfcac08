import { describe, expect, it } from "vitest";
import { chooseWindow, presetWindow, quarterStart, windowQueryString } from "@/lib/time/window-choice";

const BERLIN = "Europe/Berlin";
// Monday 23 November 2026, 11:00 in Berlin: yesterday there was Sunday 22 November.
const now = new Date("2026-11-23T10:00:00Z");

describe("window presets", () => {
  it("ends every preset yesterday in the project's zone", () => {
    expect(presetWindow("7d", BERLIN, now)).toMatchObject({ from: "2026-11-16", to: "2026-11-22", days: 7 });
    expect(presetWindow("28d", BERLIN, now)).toMatchObject({ from: "2026-10-26", to: "2026-11-22", days: 28 });
    // 90 days back from 22 November: 22 days of November, 31 of October, 30 of September, 7 of August.
    expect(presetWindow("90d", BERLIN, now)).toMatchObject({ from: "2026-08-25", to: "2026-11-22", days: 90 });
  });

  it("runs quarter to date from the quarter's first day, across the change from summer time", () => {
    // Clocks went back on 25 October 2026: the window starts at CEST midnight and ends at CET midnight.
    expect(presetWindow("qtd", BERLIN, now)).toEqual({
      from: "2026-10-01",
      to: "2026-11-22",
      timezone: BERLIN,
      days: 53, // 31 days of October + 22 of November
      start: "2026-09-30T22:00:00.000Z",
      end: "2026-11-22T23:00:00.000Z",
    });
  });

  it("takes 'yesterday' in the zone: just after midnight in Berlin, 31 March is yesterday and Q1 (with the spring change) is the quarter", () => {
    const justAfterMidnight = new Date("2026-03-31T22:30:00Z"); // 1 April 00:30 CEST
    expect(presetWindow("qtd", BERLIN, justAfterMidnight)).toEqual({
      from: "2026-01-01",
      to: "2026-03-31",
      timezone: BERLIN,
      days: 90, // 31 + 28 + 31
      start: "2025-12-31T23:00:00.000Z",
      end: "2026-03-31T22:00:00.000Z",
    });
    // Still 31 March in New York: yesterday is 30 March.
    expect(presetWindow("qtd", "America/New_York", justAfterMidnight)).toMatchObject({ from: "2026-01-01", to: "2026-03-30", days: 89 });
  });

  it("finds a quarter's first day", () => {
    expect(quarterStart("2026-01-01")).toBe("2026-01-01");
    expect(quarterStart("2026-06-30")).toBe("2026-04-01");
    expect(quarterStart("2026-09-15")).toBe("2026-07-01");
    expect(quarterStart("2026-12-31")).toBe("2026-10-01");
  });
});

describe("the window a page's query asks for", () => {
  it("is the last 28 days without a query, and a preset by name", () => {
    expect(chooseWindow({}, BERLIN, now)).toMatchObject({ preset: "28d", error: null, window: { from: "2026-10-26", to: "2026-11-22" } });
    expect(chooseWindow({ preset: "7d" }, BERLIN, now)).toMatchObject({ preset: "7d", error: null, window: { from: "2026-11-16" } });
    expect(chooseWindow({ preset: ["qtd", "7d"] }, BERLIN, now)).toMatchObject({ preset: "qtd", window: { from: "2026-10-01" } });
  });

  it("takes a custom range with both dates, also without the preset", () => {
    const custom = chooseWindow({ preset: "custom", from: "2026-03-01", to: "2026-03-31" }, BERLIN, now);
    expect(custom).toMatchObject({ preset: "custom", error: null, window: { from: "2026-03-01", to: "2026-03-31", days: 31 } });
    expect(chooseWindow({ from: "2026-03-01", to: "2026-03-01" }, BERLIN, now)).toMatchObject({ preset: "custom", window: { days: 1 } });
  });

  it("falls back to the last 28 days with one clear message for a bad query", () => {
    const cases: [Record<string, string>, string][] = [
      [{ preset: "week" }, 'Unknown window "week": showing the last 28 days instead.'],
      [{ preset: "custom", from: "2026-03-01" }, "A custom range needs both a start and an end date: showing the last 28 days instead."],
      [{ from: "2026-02-30", to: "2026-03-01" }, "Dates must be real calendar dates written YYYY-MM-DD: showing the last 28 days instead."],
      [{ from: "01/03/2026", to: "2026-03-10" }, "Dates must be real calendar dates written YYYY-MM-DD: showing the last 28 days instead."],
      [{ from: "2026-03-10", to: "2026-03-01" }, "The range starts (2026-03-10) after it ends (2026-03-01): showing the last 28 days instead."],
      [{ from: "2020-01-01", to: "2026-01-01" }, "A range can be at most 731 days long: showing the last 28 days instead."],
    ];
    for (const [query, message] of cases) {
      expect(chooseWindow(query, BERLIN, now)).toMatchObject({ preset: "28d", error: message, window: { from: "2026-10-26", to: "2026-11-22" } });
    }
  });

  it("writes the query string that asks for the same choice", () => {
    expect(windowQueryString(chooseWindow({}, BERLIN, now))).toBe("");
    expect(windowQueryString(chooseWindow({ preset: "90d" }, BERLIN, now))).toBe("?preset=90d");
    expect(windowQueryString(chooseWindow({ from: "2026-03-01", to: "2026-03-31" }, BERLIN, now))).toBe("?preset=custom&from=2026-03-01&to=2026-03-31");
  });
});
