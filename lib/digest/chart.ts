/**
 * The email's trend chart, drawn on the server to a PNG (mail clients run no scripts): Chart.js
 * on @napi-rs/canvas, with a bundled font so every machine draws the same pixels.
 */
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { createCanvas, GlobalFonts } from "@napi-rs/canvas";
import { Chart, registerables, type ChartConfiguration, type Plugin } from "chart.js";
import type { Unit } from "@/lib/kpis/kpi";
import { format, parseISO } from "date-fns";
import type { Forecast } from "@/lib/targets/forecast";
import { forecastLayer } from "@/lib/targets/forecast-chart";

Chart.register(...registerables);

const FONT_FAMILY = "DejaVu Sans";
const WIDTH = 560;
const HEIGHT = 170;
const LINE_COLOR = "#2563eb";

let fontRegistered = false;

const FONT_FILE = join("node_modules", "dejavu-fonts-ttf", "ttf", "DejaVuSans.ttf");

/** Registers the bundled TTF once; chart.js then asks the canvas for it by family name. */
function registerFont(): void {
  if (fontRegistered) return;
  GlobalFonts.registerFromPath(fontPath(), FONT_FAMILY);
  fontRegistered = true;
}

/**
 * The TTF in the node_modules above the running program (bin/shipshape.js, next, vitest) or the
 * working directory. Not require.resolve: Next's bundler turns that into a module id.
 */
function fontPath(): string {
  for (const start of [process.argv[1], process.cwd()]) {
    for (let dir = start ? resolve(start) : ""; dir && dir !== dirname(dir); dir = dirname(dir)) {
      if (existsSync(join(dir, FONT_FILE))) return join(dir, FONT_FILE);
    }
  }
  throw new Error(`the chart font ${FONT_FILE} was not found above ${process.argv[1]} or ${process.cwd()}`);
}

/** Mail clients show a transparent PNG on their own background (dark mode: black on black). */
const whiteBackground: Plugin<"line"> = {
  id: "whiteBackground",
  beforeDraw(chart) {
    const { ctx } = chart;
    ctx.save();
    ctx.fillStyle = "#ffffff";
    ctx.fillRect(0, 0, chart.width, chart.height);
    ctx.restore();
  },
};

export interface ChartSeries {
  title: string;
  unit: Unit;
  /** Labels under the x axis, one per value (e.g. "Nov 9"). */
  labels: string[];
  values: (number | null)[];
  /** The weeks' Mondays (for a forecast's weeks ahead) and an off-track target's forecast, drawn dashed with its band. */
  mondays?: string[];
  forecast?: Forecast | null;
  /** Annotations to mark: a thin line at the week's index with a short label (lib/annotations/). */
  marks?: ChartMark[];
}

/** An email chart stays small: a due date further ahead than this is said in words only. */
const FORECAST_WEEKS_AHEAD = 26;

/** The forecast's dashed line and band (lib/targets/forecast-chart.ts, as on the KPI page), and the labels of the weeks it adds. */
function forecastOnChart(series: ChartSeries): { labels: string[]; datasets: ChartConfiguration<"line">["data"]["datasets"] } {
  const layer = series.mondays ? forecastLayer(series.mondays, series.values, series.forecast, { maxWeeksAhead: FORECAST_WEEKS_AHEAD }) : null;
  if (!layer) return { labels: [], datasets: [] };
  return { labels: layer.mondays.map((monday) => format(parseISO(monday), "MMM d")), datasets: layer.datasets };
}


export interface ChartMark {
  index: number;
  label: string;
}

const UNIT_LABEL: Record<Unit, string> = { per_day: "per day", hours: "hours", percent: "%", count: "count", ratio: "ratio" };

/** One small line chart as PNG bytes; weeks without data are gaps in the line. */
export function trendChartPng(series: ChartSeries): Buffer {
  registerFont();
  const canvas = createCanvas(WIDTH, HEIGHT);
  const forecast = forecastOnChart(series);
  const configuration: ChartConfiguration<"line"> = {
    type: "line",
    data: {
      labels: [...series.labels, ...forecast.labels],
      datasets: [{ data: series.values, borderColor: LINE_COLOR, backgroundColor: LINE_COLOR, borderWidth: 2, pointRadius: 3, spanGaps: false }, ...forecast.datasets],
    },
    options: {
      responsive: false,
      layout: { padding: { top: 4, right: 12, bottom: 4, left: 4 } },
      animation: false,
      devicePixelRatio: 1,
      font: { family: FONT_FAMILY, size: 11 },
      plugins: {
        legend: { display: false },
        title: { display: true, text: `${series.title} (${UNIT_LABEL[series.unit]})`, align: "start", color: "#111827", font: { family: FONT_FAMILY, size: 13, weight: "bold" } },
      },
      scales: {
        x: { ticks: { color: "#4b5563", font: { family: FONT_FAMILY, size: 11 } }, grid: { display: false } },
        y: { beginAtZero: true, ticks: { color: "#4b5563", font: { family: FONT_FAMILY, size: 11 }, maxTicksLimit: 4 }, grid: { color: "#e5e7eb" } },
      },
    },
    plugins: [whiteBackground, annotationMarks(series.marks ?? [])],
  };
  // chart.js draws on any object with getContext("2d"); the napi canvas is one.
  const chart = new Chart(canvas as unknown as HTMLCanvasElement, configuration);
  const png = canvas.toBuffer("image/png");
  chart.destroy();
  return png;
}

const MARK_COLOR = "#6b3fa0";
/** A label longer than this is cut with "…": the full text is in the email's list. */
const MARK_LABEL_CHARACTERS = 26;

/** A mark's label as the chart shows it: short, cut after a whole word with "…". */
export function shortLabel(text: string): string {
  if (text.length <= MARK_LABEL_CHARACTERS) return text;
  const cut = text.slice(0, MARK_LABEL_CHARACTERS - 1);
  const space = cut.lastIndexOf(" ");
  return `${(space > 0 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

/** Annotations on the email's chart: a thin dashed line at each marked week and its short label at the top. */
function annotationMarks(marks: ChartMark[]): Plugin<"line"> {
  return {
    id: "annotationMarks",
    afterDatasetsDraw(chart) {
      const x = chart.scales.x;
      if (!x || marks.length === 0) return;
      const { ctx, chartArea } = chart;
      ctx.save();
      ctx.strokeStyle = MARK_COLOR;
      ctx.fillStyle = MARK_COLOR;
      ctx.lineWidth = 1;
      ctx.setLineDash([3, 3]);
      ctx.font = `10px "${FONT_FAMILY}"`;
      ctx.textBaseline = "top";
      for (const mark of marks) {
        const px = Math.round(x.getPixelForValue(mark.index)) + 0.5;
        ctx.beginPath();
        ctx.moveTo(px, chartArea.top);
        ctx.lineTo(px, chartArea.bottom);
        ctx.stroke();
        const label = shortLabel(mark.label);
        // Left of the line near the right edge, so the label stays inside the chart.
        const width = ctx.measureText(label).width;
        ctx.textAlign = px + 3 + width > chartArea.right ? "right" : "left";
        ctx.fillText(label, ctx.textAlign === "right" ? px - 3 : px + 3, chartArea.top + 2);
      }
      ctx.restore();
    },
  };
}
