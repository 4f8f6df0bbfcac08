/**
 * The email's trend chart, drawn on the server to a PNG (mail clients run no scripts): Chart.js
 * on @napi-rs/canvas, with a bundled font so every machine draws the same pixels.
 */
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { createCanvas, GlobalFonts } from "@napi-rs/canvas";
import { Chart, registerables, type ChartConfiguration, type Plugin } from "chart.js";
import type { Unit } from "../kpis/kpi";

Chart.register(...registerables);

const FONT_FAMILY = "DejaVu Sans";
const WIDTH = 560;
const HEIGHT = 170;
const LINE_COLOR = "#2563eb";

let fontRegistered = false;

/** Registers the bundled TTF once; chart.js then asks the canvas for it by family name. */
function registerFont(): void {
  if (fontRegistered) return;
  const fonts = join(dirname(createRequire(import.meta.url).resolve("dejavu-fonts-ttf/package.json")), "ttf");
  GlobalFonts.registerFromPath(join(fonts, "DejaVuSans.ttf"), FONT_FAMILY);
  fontRegistered = true;
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
}

const UNIT_LABEL: Record<Unit, string> = { per_day: "per day", hours: "hours", percent: "%", count: "count", ratio: "ratio" };

/** One small line chart as PNG bytes; weeks without data are gaps in the line. */
export function trendChartPng(series: ChartSeries): Buffer {
  registerFont();
  const canvas = createCanvas(WIDTH, HEIGHT);
  const configuration: ChartConfiguration<"line"> = {
    type: "line",
    data: {
      labels: series.labels,
      datasets: [{ data: series.values, borderColor: LINE_COLOR, backgroundColor: LINE_COLOR, borderWidth: 2, pointRadius: 3, spanGaps: false }],
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
    plugins: [whiteBackground],
  };
  // chart.js draws on any object with getContext("2d"); the napi canvas is one.
  const chart = new Chart(canvas as unknown as HTMLCanvasElement, configuration);
  const png = canvas.toBuffer("image/png");
  chart.destroy();
  return png;
}
