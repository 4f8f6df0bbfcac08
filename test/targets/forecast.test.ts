/**
 * The forecast's fit, band, status and words on hand-computed series. The weeks are the twelve
 * from Monday 2026-01-05 to Monday 2026-03-23 (week index i = 0…11; a week's value sits at its
 * Thursday noon); a due date on Thursday 2026-04-23 is four weeks after the last one: i = 15.
 */
import { describe, expect, it } from "vitest";
import { forecastTarget, forecastWords, theilSen, type WeeklyValue } from "@/lib/targets/forecast";
import { shiftDate } from "@/lib/time/window";

const MONDAYS = Array.from({ length: 12 }, (_, i) => shiftDate("2026-01-05", 7 * i));
const series = (values: (number | null)[]): WeeklyValue[] => values.map((value, i) => ({ monday: MONDAYS[i]!, value }));
const weeks = (f: (i: number) => number) => series(MONDAYS.map((_, i) => f(i)));
const IN_FOUR_WEEKS = "2026-04-23";
/** The day after a window ending Sunday 2026-03-29. */
const TODAY = "2026-03-30";

describe("Theil–Sen", () => {
  it("is the median pairwise slope and the median intercept", () => {
    // Slopes: (0,1) 1, (0,2) 1.5, (1,2) 2 → 1.5; intercepts y − 1.5x: 0, −0.5, 0 → 0.
    expect(theilSen([{ x: 0, y: 0 }, { x: 1, y: 1 }, { x: 2, y: 3 }])).toEqual({ slope: 1.5, intercept: 0 });
  });
});

describe("forecastTarget", () => {
  it("a flat series projects its level with no band: on track at the target itself, off track above it", () => {
    const flat = weeks(() => 2);
    expect(forecastTarget(flat, { value: 2, due: IN_FOUR_WEEKS }, "higher", "per_day")).toEqual({ due: IN_FOUR_WEEKS, value: 2, low: 2, high: 2, status: "on_track" });
    const off = forecastTarget(flat, { value: 3, due: "2026-03-31" }, "higher", "per_day");
    expect(off).toEqual({ due: "2026-03-31", value: 2, low: 2, high: 2, status: "off_track" });
    expect(forecastWords(off, { value: 3 }, "per_day", TODAY)).toBe("off track — at this pace 2 / day by 31 Mar, target 3 / day");
  });

  it("a rising series is continued to the due date: 1 + 0.5 i at i = 15 is 8.5", () => {
    const rising = weeks((i) => 1 + 0.5 * i);
    const forecast = forecastTarget(rising, { value: 8, due: IN_FOUR_WEEKS }, "higher", "per_day");
    expect(forecast.status).toBe("on_track");
    expect(forecast.value).toBeCloseTo(8.5, 9);
    expect(forecast.low).toBeCloseTo(8.5, 9);
    expect(forecast.high).toBeCloseTo(8.5, 9);
    expect(forecastWords(forecast, { value: 8 }, "per_day", TODAY)).toBe("on track");
    expect(forecastTarget(rising, { value: 9, due: IN_FOUR_WEEKS }, "higher", "per_day").status).toBe("off_track");
  });

  it("a noisy series with an outlier: the fit ignores the outlier, the band is the robust 80 % interval", () => {
    // 10 + i ± 0.5 (even weeks +0.5, odd −0.5), and week 5 at 40 instead of 14.5.
    const noisy = weeks((i) => (i === 5 ? 40 : 10 + i + (i % 2 === 0 ? 0.5 : -0.5)));
    // Pairwise slopes: 24 below 1 (the outlier's 6 to later weeks, 18 even→odd pairs), 25 exactly 1,
    // 17 above: the median is 1 per week. Intercepts y − i: five 9.5, six 10.5, 35 → 10.5.
    // Residuals: six 0, five −1, 24.5 → median |r| = 0.5, σ = 1.4826 × 0.5. At i = 15: 10.5 + 15.
    // Band: t(0.9, 10) = 1.372; x̄ = 5.5, Σ(i − x̄)² = 143, (15 − 5.5)² = 90.25.
    const half = 1.372 * 1.4826 * 0.5 * Math.sqrt(1 + 1 / 12 + 90.25 / 143);
    const forecast = forecastTarget(noisy, { value: 25, due: IN_FOUR_WEEKS }, "higher", "count");
    expect(forecast.status).toBe("on_track");
    expect(forecast.value).toBeCloseTo(25.5, 9);
    expect(forecast.low).toBeCloseTo(25.5 - half, 9);
    expect(forecast.high).toBeCloseTo(25.5 + half, 9);
    expect(half).toBeCloseTo(1.3317, 4);
    // Least squares through the same points is pulled by the outlier: 26.08 at i = 15.
  });

  it("says not enough data below 6 weekly values (5 weeks, or 12 weeks with 7 empty)", () => {
    const short = series([1, 2, 3, 4, 5]);
    const none = { due: IN_FOUR_WEEKS, value: null, low: null, high: null, status: "not_enough_data" };
    expect(forecastTarget(short, { value: 3, due: IN_FOUR_WEEKS }, "higher", "per_day")).toEqual(none);
    expect(forecastTarget(series([1, null, null, 2, null, null, 3, null, 4, null, 5, null]), { value: 3, due: IN_FOUR_WEEKS }, "higher", "per_day")).toEqual(none);
    expect(forecastWords(forecastTarget(short, { value: 3, due: IN_FOUR_WEEKS }, "higher", "per_day"), { value: 3 }, "per_day", TODAY)).toBe("not enough data");
    // Six values are enough: 1…6 in the last six weeks, i = 6…11, slope 1 → 10 at i = 15.
    const six = forecastTarget(series([null, null, null, null, null, null, 1, 2, 3, 4, 5, 6]), { value: 3, due: IN_FOUR_WEEKS }, "higher", "count");
    expect(six.value).toBeCloseTo(10, 9);
    // Only the last 12 weeks are read: a 13th, older week of 1000 changes nothing.
    expect(forecastTarget([{ monday: "2025-12-29", value: 1000 }, ...weeks(() => 2)], { value: 2, due: IN_FOUR_WEEKS }, "higher", "count").value).toBe(2);
  });

  it("judges a lower-is-better KPI in its direction", () => {
    const falling = weeks((i) => 48 - 2 * i); // lead time in hours, 18 h at i = 15
    const onTrack = forecastTarget(falling, { value: 20, due: IN_FOUR_WEEKS }, "lower", "hours");
    expect(onTrack).toMatchObject({ status: "on_track" });
    expect(onTrack.value).toBeCloseTo(18, 9);
    const offTrack = forecastTarget(falling, { value: 16, due: IN_FOUR_WEEKS }, "lower", "hours");
    expect(offTrack.status).toBe("off_track");
    expect(forecastWords(offTrack, { value: 16 }, "hours", TODAY)).toBe("off track — at this pace 18 h by 23 Apr, target 16 h");
    // Rising where lower is better: 10 + i is 25 at i = 15, above 12.
    expect(forecastTarget(weeks((i) => 10 + i), { value: 12, due: IN_FOUR_WEEKS }, "lower", "percent").status).toBe("off_track");
  });

  it("a due date that has passed is read at the last week; one due today is projected to today", () => {
    const rising = weeks((i) => 1 + 0.5 * i);
    const passed = forecastTarget(rising, { value: 8, due: "2026-02-01" }, "higher", "per_day");
    expect(passed).toMatchObject({ due: "2026-02-01", status: "off_track" });
    expect(passed.value).toBeCloseTo(6.5, 9); // i = 11
    expect(forecastWords(passed, { value: 8 }, "per_day", TODAY)).toBe("off track — due 1 Feb has passed; the trend is at 6.5 / day, target 8 / day");
    // Due Monday 30 March (today): noon is 4 days after the last week's Thursday noon, i = 11 + 4/7.
    const today = forecastTarget(rising, { value: 8, due: TODAY }, "higher", "per_day");
    expect(today.value).toBeCloseTo(1 + 0.5 * (11 + 4 / 7), 9);
    expect(forecastWords(today, { value: 8 }, "per_day", TODAY)).toBe("off track — at this pace 6.79 / day by 30 Mar, target 8 / day");
  });

  it("keeps the projection and band within the unit, and names the year of a due date in another year", () => {
    const falling = weeks((i) => 5 - 0.5 * i); // −2.5 at i = 15: no negative deployments
    expect(forecastTarget(falling, { value: 1, due: IN_FOUR_WEEKS }, "higher", "per_day")).toMatchObject({ value: 0, low: 0, high: 0, status: "off_track" });
    expect(forecastTarget(weeks((i) => 80 + 5 * i), { value: 90, due: IN_FOUR_WEEKS }, "higher", "percent")).toMatchObject({ value: 100, status: "on_track" });
    expect(forecastTarget(weeks((i) => -1 - i), { value: 0, due: IN_FOUR_WEEKS }, "higher", "ratio").value).toBeCloseTo(-16, 9);
    const later = forecastTarget(weeks(() => 2), { value: 3, due: "2027-01-15" }, "higher", "per_day");
    expect(forecastWords(later, { value: 3 }, "per_day", TODAY)).toBe("off track — at this pace 2 / day by 15 Jan 2027, target 3 / day");
  });
});
