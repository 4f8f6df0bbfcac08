/**
 * A headline KPI's weekly series as a small inline SVG: a line over the weeks (broken where a
 * week has no value), the last value marked, and an accessible label that says the first and
 * the last value in words, since a sparkline has no axes to read.
 */
import { formatShortDay } from "@/lib/format/dates";
import { formatValue } from "@/lib/format/values";
import type { KpiId } from "@/lib/kpis/ids";
import type { Unit } from "@/lib/kpis/kpi";
import type { ReportWindow } from "@/lib/time/window";

const WIDTH = 96;
const HEIGHT = 24;
const PAD = 2;

export interface SparklineProps {
  id: KpiId;
  title: string;
  unit: Unit;
  weeks: ReportWindow[];
  values: (number | null)[];
}

/** "Deployment frequency, 12 weeks: 2.9 / day in the week of 8 Sept, 3.3 / day in the week of 24 Nov". */
export function sparklineLabel({ title, unit, weeks, values }: Omit<SparklineProps, "id">): string {
  const known = values.flatMap((value, index) => (value === null ? [] : [{ value, week: weeks[index]! }]));
  const span = `${title}, ${weeks.length} ${weeks.length === 1 ? "week" : "weeks"}`;
  if (known.length === 0) return `${span}: no data`;
  const first = known[0]!;
  const last = known.at(-1)!;
  const at = (point: typeof first) => `${formatValue(point.value, unit)} in the week of ${formatShortDay(point.week.from)}`;
  return known.length === 1 ? `${span}: only ${at(first)}` : `${span}: ${at(first)}, ${at(last)}`;
}

/** The polyline segments of the known values, scaled into the box (a flat series sits in the middle). */
function segments(values: (number | null)[]): string[] {
  const known = values.filter((value): value is number => value !== null);
  const low = Math.min(...known);
  const high = Math.max(...known);
  const x = (index: number) => PAD + (values.length === 1 ? (WIDTH - 2 * PAD) / 2 : (index * (WIDTH - 2 * PAD)) / (values.length - 1));
  const y = (value: number) => (high === low ? HEIGHT / 2 : PAD + ((high - value) * (HEIGHT - 2 * PAD)) / (high - low));
  const lines: string[][] = [[]];
  values.forEach((value, index) => {
    if (value === null) {
      if (lines.at(-1)!.length) lines.push([]);
      return;
    }
    lines.at(-1)!.push(`${x(index).toFixed(1)},${y(value).toFixed(1)}`);
  });
  return lines.filter((line) => line.length > 0).map((line) => line.join(" "));
}

export function Sparkline(props: SparklineProps) {
  const label = sparklineLabel(props);
  const lines = segments(props.values);
  const lastIndex = props.values.findLastIndex((value) => value !== null);
  const lastPoint = lastIndex === -1 ? null : segments(props.values.map((value, index) => (index === lastIndex ? value : null)))[0];
  return (
    <figure className="sparkline" data-kpi={props.id}>
      <figcaption>{props.title}</figcaption>
      <svg role="img" aria-label={label} width={WIDTH} height={HEIGHT} viewBox={`0 0 ${WIDTH} ${HEIGHT}`}>
        <title>{label}</title>
        {lines.map((points) =>
          points.includes(" ") ? (
            <polyline key={points} points={points} fill="none" stroke="currentColor" strokeWidth={1.5} strokeLinejoin="round" />
          ) : (
            <circle key={points} cx={points.split(",")[0]} cy={points.split(",")[1]} r={1.2} fill="currentColor" />
          ),
        )}
        {lastPoint && lastIndex > 0 && <circle cx={lastPoint.split(",")[0]} cy={lastPoint.split(",")[1]} r={2} fill="currentColor" />}
      </svg>
      <span className="sparkline-last num">{formatValue(lastIndex === -1 ? null : props.values[lastIndex]!, props.unit)}</span>
    </figure>
  );
}
