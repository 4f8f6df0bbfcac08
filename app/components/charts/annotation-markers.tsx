"use client";
/**
 * Markers on a trend chart: a thin vertical line at the week of each annotation (a note, a
 * target change, a release, a model version reaching production), drawn by a small chart.js
 * plugin, with a focusable button over each line that says what it marks — on hover and on
 * keyboard focus, and to screen readers through its label — and a table of them under the chart.
 *
 * Kept apart from trend-chart.tsx, which only calls `useWeekMarkers`, passes its plugin and
 * renders `MarkerButtons` and `AnnotationTable`.
 */
import { useMemo, useRef, useState } from "react";
import type { Chart, Plugin } from "chart.js";
import { marksChart, type Annotation, type AnnotationKind } from "@/lib/annotations/marks";
import { formatDay, formatShortDay } from "@/lib/format/dates";
import { webLink } from "@/lib/format/links";
import type { ReportWindow } from "@/lib/time/window";
import { useAnnotations } from "./annotations-provider";
import { chartColors } from "./chart-setup";

/** The annotations of one week of the chart, at its index on the x axis. */
export interface WeekMark {
  index: number;
  week: ReportWindow;
  annotations: Annotation[];
}

export const kindLabels: Record<AnnotationKind, string> = { note: "Note", target: "Target", release: "Release", model: "Model" };

/** The annotations that mark this KPI's chart (lib/annotations/marks.ts), grouped by the week they fall in; weeks without any are left out. */
export function weekMarks(annotations: readonly Annotation[], weeks: readonly ReportWindow[], kpi: string): WeekMark[] {
  return weeks.flatMap((week, index) => {
    const inWeek = annotations.filter((a) => marksChart(a, kpi) && a.at >= week.from && a.at <= week.to);
    return inWeek.length > 0 ? [{ index, week, annotations: inWeek }] : [];
  });
}

/** What a marker says: "Week of 12 Oct 2026: 14 Oct, Release v1.10.0; 15 Oct, moved to the new cluster". */
export function markText(mark: WeekMark): string {
  return `Week of ${formatDay(mark.week.from)}: ${mark.annotations.map((a) => `${formatShortDay(a.at)}, ${a.text}`).join("; ")}`;
}

/** A line of the tooltip: a note says it is one; the other kinds' texts already say what they are ("Release v1.10.0", not "Release: Release v1.10.0"). */
export function tipText(annotation: Pick<Annotation, "kind" | "text">): string {
  return annotation.kind === "note" ? `Note: ${annotation.text}` : annotation.text;
}

/** Where the plugin drew each line, in CSS pixels of the canvas. */
interface MarkerLayout {
  top: number;
  bottom: number;
  xs: number[];
}

export interface WeekMarkers {
  marks: WeekMark[];
  plugin: Plugin<"bar" | "line">;
  layout: MarkerLayout | null;
}

/**
 * The marks of this chart and the plugin that draws them. A hook, so the chart component calls
 * it before its loading and error states return (`weeks` is empty until the trend is there).
 */
export function useWeekMarkers(weeks: readonly ReportWindow[], kpi: string): WeekMarkers {
  const annotations = useAnnotations();
  const marks = useMemo(() => weekMarks(annotations, weeks, kpi), [annotations, weeks, kpi]);
  const [layout, setLayout] = useState<MarkerLayout | null>(null);
  const current = useRef<WeekMark[]>(marks);
  current.current = marks;
  const shown = useRef("");
  const plugin = useMemo<Plugin<"bar" | "line">>(
    () => ({
      id: "weekMarkers",
      afterDatasetsDraw(chart: Chart) {
        const next = drawLines(chart, current.current);
        // The chart redraws on every hover: tell React only when a line moved (a resize).
        const key = JSON.stringify(next);
        if (key !== shown.current) {
          shown.current = key;
          setLayout(next);
        }
      },
    }),
    [],
  );
  return { marks, plugin, layout };
}

function drawLines(chart: Chart, marks: WeekMark[]): MarkerLayout {
  const { ctx, chartArea } = chart;
  const x = chart.scales.x;
  const xs = marks.map((mark) => (x ? x.getPixelForValue(mark.index) : 0));
  ctx.save();
  ctx.strokeStyle = chartColors.annotation;
  ctx.fillStyle = chartColors.annotation;
  ctx.lineWidth = 1.5;
  ctx.setLineDash([3, 3]);
  for (const px of xs) {
    ctx.beginPath();
    ctx.moveTo(px, chartArea.top);
    ctx.lineTo(px, chartArea.bottom);
    ctx.stroke();
    // A small flag at the top, where the button is.
    ctx.beginPath();
    ctx.moveTo(px - 4, chartArea.top);
    ctx.lineTo(px + 4, chartArea.top);
    ctx.lineTo(px, chartArea.top + 6);
    ctx.closePath();
    ctx.fill();
  }
  ctx.restore();
  return { top: chartArea.top, bottom: chartArea.bottom, xs };
}

/** One button over each line: hovering or focusing it shows what it marks. */
export function MarkerButtons({ markers }: { markers: WeekMarkers }) {
  const { marks, layout } = markers;
  if (!layout || marks.length === 0) return null;
  return (
    <div className="annotation-markers">
      {marks.map((mark, index) => {
        const text = markText(mark);
        return (
          <button
            type="button"
            key={mark.week.from}
            className="annotation-marker"
            style={{ left: layout.xs[index], top: layout.top, height: layout.bottom - layout.top }}
            aria-label={text}
            data-week={mark.week.from}
          >
            <span className="annotation-tip" aria-hidden="true">
              <strong>Week of {formatDay(mark.week.from)}</strong>
              {mark.annotations.map((a, i) => (
                <span key={i} className="annotation-line">
                  {formatShortDay(a.at)} · {tipText(a)}
                </span>
              ))}
            </span>
          </button>
        );
      })}
    </div>
  );
}

/** The marks as a table under the chart: for screen readers, and for anyone who wants the list. */
export function AnnotationTable({ markers, title }: { markers: WeekMarkers; title: string }) {
  const rows = markers.marks.flatMap((mark) => mark.annotations);
  if (rows.length === 0) return null;
  return (
    <details className="annotations">
      <summary>Marked events ({rows.length})</summary>
      <table className="annotations">
        <caption className="visually-hidden">Events marked on the chart of {title}</caption>
        <thead>
          <tr>
            <th scope="col">Date</th>
            <th scope="col">Kind</th>
            <th scope="col">What</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((a, index) => (
            <tr key={`${a.at}:${index}`}>
              <th scope="row" className="nowrap">
                {formatDay(a.at)}
              </th>
              <td>{kindLabels[a.kind]}</td>
              <td>{webLink(a.url) ? <a href={webLink(a.url)!}>{a.text}</a> : a.text}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </details>
  );
}
