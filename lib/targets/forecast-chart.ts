/**
 * A target's forecast on a weekly trend chart (./forecast.ts), the same on the KPI page
 * (app/components/charts/trend-chart.tsx) and in the weekly email's PNG (lib/digest/chart.ts):
 * a dashed line from the last week with a value to the projected value in the due date's week,
 * and its 80 % band shaded between, widening from nothing at the last value to [low, high] at
 * the due date. The week axis is extended with the weeks up to the due date. Kept apart from
 * the charts' other layers (targets, markers) so each stays independent of the others.
 */
import type { ChartDataset } from "chart.js";
import type { Unit } from "@/lib/kpis/kpi";
import type { Forecast } from "./forecast";
import { shiftDate } from "@/lib/time/window";
import { DAYS_PER_WEEK, MS_PER_DAY } from "@/lib/time/units";

export const FORECAST_LABEL = "Forecast";
export const FORECAST_BAND_LABEL = "Forecast range (80 %)";
/** The band's lower edge: drawn, not named in the legend. */
const BAND_LOW_LABEL = "Forecast range, low end";

/** A due date further out than this is said in words only: a year of empty weeks would squash the chart. */
const MAX_WEEKS_AHEAD = 52;

export const forecastColors = { line: "#6a3d9a", band: "rgba(106, 61, 154, 0.16)" } as const;

export interface ForecastLayer {
  /** The Mondays of the weeks added after the last one shown, up to the due date's week. */
  mondays: string[];
  datasets: ChartDataset<"line", (number | null)[]>[];
  /** The highest value drawn, for the y axis. */
  max: number;
}

/**
 * The forecast's datasets for a chart of `mondays` (the weeks shown) and `values`; null when
 * there is nothing to draw: no projection, no value to start from, or a due date not after the
 * last week shown (or too far ahead).
 */
export function forecastLayer(
  mondays: readonly string[],
  values: readonly (number | null)[],
  forecast: Forecast | null | undefined,
  { maxWeeksAhead = MAX_WEEKS_AHEAD } = {},
): ForecastLayer | null {
  if (!forecast || forecast.value === null || forecast.low === null || forecast.high === null) return null;
  const last = values.findLastIndex((value) => value !== null);
  const lastMonday = mondays.at(-1);
  if (last < 0 || lastMonday === undefined) return null;
  const ahead = Math.floor((Date.parse(`${forecast.due}T00:00:00Z`) - Date.parse(`${lastMonday}T00:00:00Z`)) / MS_PER_DAY / DAYS_PER_WEEK);
  if (ahead < 1 || ahead > maxWeeksAhead) return null;
  const added = Array.from({ length: ahead }, (_, index) => shiftDate(lastMonday, DAYS_PER_WEEK * (index + 1)));
  const due = mondays.length - 1 + ahead;
  const start = values[last]!;
  const layer = (at: number): (number | null)[] => Array.from({ length: due + 1 }, (_, index) => (index === last ? start : index === due ? at : null));
  const common = { type: "line" as const, spanGaps: true, pointRadius: 0, yAxisID: "y", order: 0 };
  return {
    mondays: added,
    max: Math.max(start, forecast.high),
    datasets: [
      { ...common, label: FORECAST_LABEL, data: layer(forecast.value), borderColor: forecastColors.line, backgroundColor: forecastColors.line, borderDash: [5, 4], borderWidth: 2, pointRadius: layer(0).map((_, index) => (index === due ? 3 : 0)) },
      { ...common, label: BAND_LOW_LABEL, data: layer(forecast.low), borderWidth: 0, borderColor: "transparent", backgroundColor: forecastColors.band },
      { ...common, label: FORECAST_BAND_LABEL, data: layer(forecast.high), borderWidth: 0, borderColor: "transparent", backgroundColor: forecastColors.band, fill: "-1" },
    ],
  };
}

/**
 * The forecast in a weekly chart's terms. A report's count is per window (28 days: four weeks'
 * counts) and so is its forecast (lib/report/build.ts); a weekly chart draws a week's count, so a
 * count's forecast is drawn divided by the window's weeks. Other units read the same either way.
 */
export function perWeek(forecast: Forecast | null, unit: Unit, windowDays: number): Forecast | null {
  if (!forecast || unit !== "count" || windowDays === DAYS_PER_WEEK) return forecast;
  const scale = (value: number | null) => (value === null ? null : (value * DAYS_PER_WEEK) / windowDays);
  return { ...forecast, value: scale(forecast.value), low: scale(forecast.low), high: scale(forecast.high) };
}

/** The legend leaves out the band's lower edge (the upper one names the band). */
export function inForecastLegend(label: string | undefined): boolean {
  return label !== BAND_LOW_LABEL;
}
