import { describe, expect, it } from "vitest";
import { axisStep, axisTicks, columnFormat } from "@/lib/format/axis";
import { formatDay, formatInstant, formatRange, formatZoneOffset } from "@/lib/format/dates";
import { webLink } from "@/lib/format/links";
import { changeVerdict, formatChange, formatValue } from "@/lib/format/values";

describe("KPI values for people", () => {
  it("gives a table column one unit, picked from its values as an axis picks it", () => {
    // 58 h is 2.4 days; with it in the column, 36.4 h reads in days too (36.4 ÷ 24 = 1.5).
    const days = columnFormat("hours", [58, 36.4, null]);
    expect([58, 36.4, null].map(days)).toEqual(["2.4 days", "1.5 days", "—"]);
    const hours = columnFormat("hours", [36.4, 0.5]);
    expect([36.4, 0.5].map(hours)).toEqual(["36.4 h", "0.5 h"]);
    expect([0.5, 0.25].map(columnFormat("hours", [0.5, 0.25]))).toEqual(["30 min", "15 min"]);
    expect([12.5, null].map(columnFormat("percent", [12.5, null], "-"))).toEqual(["12.5 %", "-"]);
  });

  it("writes each unit the way a reader expects", () => {
    expect(formatValue(2.9642857, "per_day")).toBe("2.96 / day");
    expect(formatValue(12.25, "per_day")).toBe("12.3 / day");
    expect(formatValue(18.5, "hours")).toBe("18.5 h");
    expect(formatValue(0.75, "hours")).toBe("45 min");
    expect(formatValue(47.9, "hours")).toBe("47.9 h");
    expect(formatValue(84, "hours")).toBe("3.5 days"); // 84 ÷ 24
    expect(formatValue(11.956521, "percent")).toBe("12 %");
    expect(formatValue(12.5, "percent")).toBe("12.5 %");
    expect(formatValue(1234, "count")).toBe("1,234");
    expect(formatValue(0.96271, "ratio")).toBe("0.963");
    expect(formatValue(null, "hours")).toBe("—");
  });

  it("signs a change in the KPI's unit, and percentages in points", () => {
    expect(formatChange(3.2857, 2.9643, "per_day")).toBe("+0.32 / day");
    expect(formatChange(36, 43.7, "hours")).toBe("−7.7 h");
    expect(formatChange(12, 7.2, "percent")).toBe("+4.8 pts");
    expect(formatChange(4, 5, "count")).toBe("−1");
    expect(formatChange(5, 5, "count")).toBe("no change");
    expect(formatChange(5, null, "count")).toBeNull();
  });

  it("judges a change by the KPI's direction", () => {
    expect(changeVerdict(36, 43, "lower")).toBe("better");
    expect(changeVerdict(36, 43, "higher")).toBe("worse");
    expect(changeVerdict(3, 2, "higher")).toBe("better");
    expect(changeVerdict(3, 3, "higher")).toBe("same");
    expect(changeVerdict(3, 2, null)).toBeNull();
    expect(changeVerdict(null, 2, "higher")).toBeNull();
  });

  it("writes dates and instants in the project's zone", () => {
    expect(formatDay("2026-11-22")).toBe("22 Nov 2026");
    expect(formatRange("2026-10-26", "2026-11-22")).toBe("26 Oct – 22 Nov 2026");
    expect(formatRange("2025-12-29", "2026-01-04")).toBe("29 Dec 2025 – 4 Jan 2026");
    // 23:30 UTC on 31 October is 00:30 on 1 November in Berlin (CET, UTC+1).
    expect(formatInstant("2026-10-31T23:30:00Z", "Europe/Berlin")).toBe("1 Nov 2026, 00:30");
    expect(formatZoneOffset("Europe/Berlin", new Date("2026-07-01T00:00:00Z"))).toBe("UTC+02:00");
    expect(formatZoneOffset("America/New_York", new Date("2026-12-01T00:00:00Z"))).toBe("UTC−05:00");
    expect(formatZoneOffset("Asia/Kolkata", new Date("2026-12-01T00:00:00Z"))).toBe("UTC+05:30");
  });
});

describe("chart axes", () => {
  it("keep one unit along a duration axis", () => {
    expect([0, 20, 40].map(axisTicks("hours", 40))).toEqual(["0 h", "20 h", "40 h"]);
    expect([0, 48, 96].map(axisTicks("hours", 160))).toEqual(["0 days", "2 days", "4 days"]);
    expect([0, 0.25, 0.5].map(axisTicks("hours", 0.6))).toEqual(["0 min", "15 min", "30 min"]);
    expect([0, 0.5, 1].map(axisTicks("per_day", 1))).toEqual(["0 / day", "0.5 / day", "1 / day"]);
  });

  it("step a duration axis in days by whole days", () => {
    expect(axisStep("hours", 60)).toBe(24); // 2.5 days: a tick a day
    expect(axisStep("hours", 24 * 12)).toBe(72); // 12 days: every 3 days, 5 ticks
    expect(axisStep("hours", 40)).toBeUndefined();
    expect(axisStep("count", 400)).toBeUndefined();
  });
});

describe("links to sources", () => {
  it("are kept only for http(s) addresses", () => {
    expect(webLink("https://github.com/acme/api/pull/12")).toBe("https://github.com/acme/api/pull/12");
    expect(webLink("HTTP://jira.example.com/browse/FRD-7")).toBe("HTTP://jira.example.com/browse/FRD-7");
    expect(webLink("javascript:alert(1)")).toBeNull();
    expect(webLink(" javascript:alert(1)")).toBeNull();
    expect(webLink("data:text/html,<script>alert(1)</script>")).toBeNull();
    expect(webLink("//evil.example.com")).toBeNull();
    expect(webLink(null)).toBeNull();
  });

  it("drop every other scheme, also spelt in capitals, and relative paths", () => {
    expect(webLink("https://github.com/acme/api/issues/1")).toBe("https://github.com/acme/api/issues/1");
    expect(webLink("http://jira.local/browse/FRD-1")).toBe("http://jira.local/browse/FRD-1");
    expect(webLink("javascript:alert(1)")).toBeNull();
    expect(webLink(" JavaScript:alert(1)")).toBeNull();
    expect(webLink("data:text/html,<script>alert(1)</script>")).toBeNull();
    expect(webLink("/relative")).toBeNull();
    expect(webLink(null)).toBeNull();
  });
});
