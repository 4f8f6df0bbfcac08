/**
 * A target's forecast in words beside the KPI chart (lib/targets/forecast.ts): who owns the
 * target and by when, whether the trend gets there, and the projection with its 80 % range.
 */
import { formatDay } from "@/lib/format/dates";
import { formatValue } from "@/lib/format/values";
import type { EntryView } from "@/lib/report/view";
import { FORECAST_WEEKS, forecastWords, MIN_WEEKS } from "@/lib/targets/forecast";
import { targetText } from "./kpi-figures";

/** `today`: the day after the window's end, where the weekly series stops. */
export function ForecastNote({ entry, today }: { entry: EntryView; today: string }) {
  const { target, forecast } = entry;
  if (!target || !forecast) return null;
  const owner = target.owner ? `, owner ${target.owner}` : "";
  const words = forecastWords(forecast, target, entry.unit, today);
  return (
    <div className={`forecast forecast-${forecast.status}`} role="note" aria-label="Forecast">
      <p>
        <strong>Forecast</strong> for the target ({targetText(entry)} by {formatDay(forecast.due)}
        {owner}): <span className="forecast-words">{words}</span>
      </p>
      <p className="meta">
        {forecast.value === null
          ? `Fewer than ${MIN_WEEKS} weekly values in the last ${FORECAST_WEEKS} weeks: no trend to project yet.`
          : `Projected ${formatValue(forecast.value, entry.unit)} at the due date, 80 % range ${formatValue(forecast.low, entry.unit)} – ${formatValue(forecast.high, entry.unit)}: a Theil–Sen trend over the last ${FORECAST_WEEKS} weeks (docs/metrics.md, “Forecasts”).`}
      </p>
    </div>
  );
}
