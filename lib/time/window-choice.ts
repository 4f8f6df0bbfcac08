/**
 * The dashboard's window picker: a preset (last 7 / 28 / 90 days, quarter to date) or a custom
 * range, read from a page's query string (`preset`, `from`, `to`) and resolved to report dates
 * in the project's zone. Every preset ends yesterday, like the report's default window: today
 * is not over, and a half day would read as a drop in every count.
 *
 * A bad query never breaks a page: the choice falls back to the default and carries one line
 * saying what was wrong.
 */
import { z } from "zod";
import { firstValue } from "@/lib/server/query";
import { localDate, reportWindow, shiftDate, type ReportWindow } from "./window";

export const windowPresets = {
  "7d": "Last 7 days",
  "28d": "Last 28 days",
  "90d": "Last 90 days",
  qtd: "Quarter to date",
  custom: "Custom range",
} as const;

export type WindowPreset = keyof typeof windowPresets;

export const DEFAULT_PRESET = "28d" satisfies WindowPreset;

/** The longest custom range: two years of daily data is plenty for a report. */
export const MAX_CUSTOM_DAYS = 731;

export interface WindowQuery {
  preset?: string | string[];
  from?: string | string[];
  to?: string | string[];
}

export interface WindowChoice {
  preset: WindowPreset;
  window: ReportWindow;
  /** What was wrong with the query (the default window is used instead), or null. */
  error: string | null;
}

const date = z.iso.date();

/**
 * The window a query asks for in `timezone`. `from`/`to` without a preset mean a custom range;
 * a custom range needs both dates, from on or before to, at most MAX_CUSTOM_DAYS long.
 */
export function chooseWindow(query: WindowQuery, timezone: string, now: Date = new Date()): WindowChoice {
  const preset = firstValue(query.preset);
  const from = firstValue(query.from);
  const to = firstValue(query.to);
  const fallback = (error: string): WindowChoice => ({ preset: DEFAULT_PRESET, window: presetWindow(DEFAULT_PRESET, timezone, now), error });

  const chosen = preset ?? (from || to ? "custom" : DEFAULT_PRESET);
  if (!isPreset(chosen)) return fallback(`Unknown window "${chosen}": showing the last 28 days instead.`);
  if (chosen !== "custom") return { preset: chosen, window: presetWindow(chosen, timezone, now), error: null };

  if (!from || !to) return fallback("A custom range needs both a start and an end date: showing the last 28 days instead.");
  if (!date.safeParse(from).success || !date.safeParse(to).success) {
    return fallback("Dates must be real calendar dates written YYYY-MM-DD: showing the last 28 days instead.");
  }
  const window = reportWindow(from, to, timezone);
  if (window.days < 1) return fallback(`The range starts (${from}) after it ends (${to}): showing the last 28 days instead.`);
  if (window.days > MAX_CUSTOM_DAYS) return fallback(`A range can be at most ${MAX_CUSTOM_DAYS} days long: showing the last 28 days instead.`);
  return { preset: "custom", window, error: null };
}

/** The dates of a preset in `timezone`, all ending yesterday; quarter to date starts on the first day of yesterday's quarter. */
export function presetWindow(preset: Exclude<WindowPreset, "custom">, timezone: string, now: Date = new Date()): ReportWindow {
  const yesterday = shiftDate(localDate(now, timezone), -1);
  switch (preset) {
    case "7d":
      return reportWindow(shiftDate(yesterday, -6), yesterday, timezone);
    case "28d":
      return reportWindow(shiftDate(yesterday, -27), yesterday, timezone);
    case "90d":
      return reportWindow(shiftDate(yesterday, -89), yesterday, timezone);
    case "qtd":
      return reportWindow(quarterStart(yesterday), yesterday, timezone);
  }
}

/** The first day of the quarter a date (YYYY-MM-DD) lies in. */
export function quarterStart(day: string): string {
  const [year, month] = day.split("-").map(Number) as [number, number];
  const firstMonth = Math.floor((month - 1) / 3) * 3 + 1;
  return `${year}-${String(firstMonth).padStart(2, "0")}-01`;
}

/** The query string that asks for a choice again, for links between pages ("" for the default). */
export function windowQueryString(choice: Pick<WindowChoice, "preset" | "window">): string {
  if (choice.preset === DEFAULT_PRESET) return "";
  if (choice.preset !== "custom") return `?preset=${choice.preset}`;
  return `?preset=custom&from=${choice.window.from}&to=${choice.window.to}`;
}

function isPreset(value: string): value is WindowPreset {
  return Object.hasOwn(windowPresets, value);
}
