"use client";
/**
 * One KPI's weekly trend: its value per week, the target in force as a dashed line, and — on
 * the KPI page — the week's production deployments and resolved incidents as bars. The numbers
 * are also in a table under the chart, for screen readers and for anyone who wants them exact.
 */
import type { ChartData, ChartOptions } from "chart.js";
import { Chart } from "react-chartjs-2";
import type { Unit } from "@/lib/kpis/kpi";
import { axisStep, axisTicks, columnFormat } from "@/lib/format/axis";
import { formatDay, formatRange, formatShortDay } from "@/lib/format/dates";
import { formatValue } from "@/lib/format/values";
import type { Trend } from "@/lib/report/trends";
import type { Forecast } from "@/lib/targets/forecast";
import { AnnotationTable, MarkerButtons, useWeekMarkers } from "./annotation-markers";
import { chartColors } from "./chart-setup";
import { forecastLayer, inForecastLegend } from "@/lib/targets/forecast-chart";
import { useTrends } from "./trends-provider";

interface Props {
  kpi: string;
  title: string;
  unit: Unit;
  /** Draw the week's deployments and incidents as bars behind the line (the KPI page). */
  markers?: boolean;
  height?: number;
  /** The project target's forecast (the KPI page): drawn as a dashed continuation with its band. */
  forecast?: Forecast | null;
}

const NO_WEEKS: Trend["weeks"] = [];

const DEPLOYMENTS = "deployment_frequency";
const INCIDENTS = "time_to_restore";

export function TrendChart({ kpi, title, unit, markers = false, height = 180, forecast }: Props) {
  const state = useTrends();
  const weekMarkers = useWeekMarkers(state.status === "ready" ? state.trend.weeks : NO_WEEKS, kpi);
  if (state.status === "loading") {
    return (
      <div className="chart-placeholder" style={{ height }} role="status">
        Loading the weekly trend…
      </div>
    );
  }
  if (state.status === "failed") {
    return (
      <div className="chart-placeholder" style={{ height }} role="alert">
        The weekly trend could not be loaded: {state.message}
      </div>
    );
  }
  const { trend } = state;
  const series = trend.series.find((s) => s.id === kpi);
  if (!series) return null;
  const projection = forecastLayer(
    trend.weeks.map((week) => week.from),
    series.values,
    forecast,
  );
  const labels = [...trend.weeks.map((week) => week.from), ...(projection?.mondays ?? [])].map(formatShortDay);
  const hasTarget = series.targets.some((t) => t !== null);
  const deployments = markers ? trend.series.find((s) => s.id === DEPLOYMENTS)?.samples : undefined;
  const incidents = markers ? trend.series.find((s) => s.id === INCIDENTS)?.samples : undefined;

  const data: ChartData<"bar" | "line", (number | null)[], string> = {
    labels,
    datasets: [
      {
        type: "line",
        label: title,
        data: series.values,
        borderColor: chartColors.value,
        backgroundColor: chartColors.value,
        pointRadius: 2.5,
        borderWidth: 2,
        spanGaps: false,
        yAxisID: "y",
        order: 0,
      },
      ...(hasTarget
        ? [
            {
              type: "line" as const,
              label: "Target",
              data: series.targets,
              borderColor: chartColors.target,
              backgroundColor: chartColors.target,
              borderDash: [6, 4],
              pointRadius: 0,
              borderWidth: 2,
              stepped: "middle" as const,
              yAxisID: "y",
              order: 1,
            },
          ]
        : []),
      ...(deployments
        ? [{ type: "bar" as const, label: "Production deployments", data: deployments, backgroundColor: chartColors.deployments, yAxisID: "events", order: 2 }]
        : []),
      ...(incidents
        ? [{ type: "bar" as const, label: "Incidents resolved", data: incidents, backgroundColor: chartColors.incidents, yAxisID: "events", order: 3 }]
        : []),
      ...(projection?.datasets ?? []),
    ],
  };
  const max = Math.max(0, ...series.values.map((v) => v ?? 0), ...series.targets.map((t) => t ?? 0), projection?.max ?? 0);
  const ticks = axisTicks(unit, max);
  const options: ChartOptions<"bar" | "line"> = {
    animation: false,
    maintainAspectRatio: false,
    interaction: { mode: "index", intersect: false },
    plugins: {
      legend: { display: hasTarget || markers || projection !== null, position: "bottom", labels: { boxWidth: 14, filter: (item) => inForecastLegend(item.text) } },
      tooltip: {
        callbacks: {
          label: (item) => (item.dataset.yAxisID === "events" ? `${item.dataset.label}: ${item.raw}` : `${item.dataset.label}: ${formatValue(item.raw as number | null, unit)}`),
        },
      },
    },
    scales: {
      x: { grid: { display: false }, ticks: { maxRotation: 0, autoSkipPadding: 12 } },
      y: { beginAtZero: true, grid: { color: chartColors.grid }, ticks: { callback: (value) => ticks(Number(value)), maxTicksLimit: 6, stepSize: axisStep(unit, max) } },
      ...(markers ? { events: { position: "right" as const, beginAtZero: true, grid: { display: false }, ticks: { precision: 0 }, title: { display: true, text: "events per week" } } } : {}),
    },
  };
  return (
    <figure className="chart" data-datasets={data.datasets.map((dataset) => dataset.label).join(",")}>
      <div style={{ height, position: "relative" }}>
        <Chart type="line" data={data} options={options} plugins={[weekMarkers.plugin]} role="img" aria-label={summary(trend, title, unit, series.values)} />
        <MarkerButtons markers={weekMarkers} />
      </div>
      <details>
        <summary>Weekly numbers as a table</summary>
        <TrendTable trend={trend} kpi={kpi} title={title} unit={unit} deployments={deployments} incidents={incidents} />
      </details>
      <AnnotationTable markers={weekMarkers} title={title} />
    </figure>
  );
}

function summary(trend: Trend, title: string, unit: Unit, values: (number | null)[]): string {
  const first = trend.weeks[0];
  const last = trend.weeks.at(-1);
  if (!first || !last) return `${title}: no weeks to show`;
  return `${title} per week from ${formatRange(first.from, last.to)}; last week ${formatValue(values.at(-1) ?? null, unit)}. The numbers are in the table below.`;
}

function TrendTable({ trend, kpi, title, unit, deployments, incidents }: { trend: Trend; kpi: string; title: string; unit: Unit; deployments?: number[]; incidents?: number[] }) {
  const series = trend.series.find((s) => s.id === kpi)!;
  // One unit for the value and target columns, as the chart's axis has one: never "2.4 days" above "36.4 h".
  const shown = columnFormat(unit, [...series.values, ...series.targets]);
  return (
    <table>
      <caption className="visually-hidden">{title} per week ({trend.timezone})</caption>
      <thead>
        <tr>
          <th scope="col">Week starting</th>
          <th scope="col">{title}</th>
          <th scope="col">Target</th>
          {deployments && <th scope="col">Production deployments</th>}
          {incidents && <th scope="col">Incidents resolved</th>}
        </tr>
      </thead>
      <tbody>
        {trend.weeks.map((week, index) => (
          <tr key={week.from}>
            <th scope="row" className="nowrap">{formatDay(week.from)}</th>
            <td className="num">{shown(series.values[index] ?? null)}</td>
            <td className="num">{shown(series.targets[index] ?? null)}</td>
            {deployments && <td className="num">{deployments[index]}</td>}
            {incidents && <td className="num">{incidents[index]}</td>}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
