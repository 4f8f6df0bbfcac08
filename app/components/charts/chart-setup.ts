"use client";
/**
 * chart.js, registered once for every chart of the app (tree-shaken: only the parts we draw),
 * and the colours every chart uses, so a target or a deployment looks the same on every page.
 */
import { BarController, BarElement, CategoryScale, Chart, Filler, Legend, LineController, LineElement, LinearScale, PointElement, Tooltip } from "chart.js";

// Filler: the forecast's band (lib/targets/forecast-chart.ts) is the area between two lines.
Chart.register(LineController, LineElement, PointElement, BarController, BarElement, CategoryScale, LinearScale, Tooltip, Legend, Filler);
Chart.defaults.font.family = 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';
Chart.defaults.color = "#444f5e";

export const chartColors = {
  value: "#0f4c81",
  target: "#a35200",
  deployments: "rgba(28, 124, 60, 0.45)",
  incidents: "rgba(179, 38, 30, 0.75)",
  grid: "#e4e8ee",
  /** Annotation markers: notes, target changes, releases, model versions. */
  annotation: "#6b3fa0",
} as const;
