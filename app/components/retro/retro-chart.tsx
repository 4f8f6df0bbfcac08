"use client";
/**
 * The retro's deployments-per-day bar chart: this sprint's days beside the same day of the
 * previous sprint. The page renders the same numbers as a table (the chart's text alternative).
 */
import { BarElement, CategoryScale, Chart as ChartJS, Legend, LinearScale, Tooltip, type TooltipItem } from "chart.js";
import { useEffect, useRef } from "react";
import { Bar } from "react-chartjs-2";
import type { DayCount } from "@/lib/report/retro";

ChartJS.register(CategoryScale, LinearScale, BarElement, Tooltip, Legend);

const CURRENT_COLOUR = "#0f4c81";
/** 3.6:1 against white: a bar still stands out (WCAG non-text contrast ≥ 3:1). */
const PREVIOUS_COLOUR = "#7b8794";
/**
 * The chart's printed size: A4's 180 mm between 15 mm margins at CSS's 96 px per inch, by 70 mm
 * (globals.css gives the chart's box the same size in print).
 */
const PRINT_SIZE = { width: 680, height: 264 };

export interface RetroChartProps {
  current: DayCount[];
  previous: DayCount[];
  /** Short labels of the days ("Mon 9 Mar"), index-aligned with the counts. */
  currentLabels: string[];
  previousLabels: string[];
  /** One sentence with the totals, for screen readers. */
  summary: string;
}

export function RetroChart({ current, previous, currentLabels, previousLabels, summary }: RetroChartProps) {
  const chart = useRef<ChartJS<"bar">>(null);
  useEffect(() => {
    // The browser may snapshot the page for print before the chart notices its box changed size,
    // so the chart is redrawn at the printed size before printing, and back afterwards.
    const forPrint = () => chart.current?.resize(PRINT_SIZE.width, PRINT_SIZE.height);
    const forScreen = () => chart.current?.resize();
    window.addEventListener("beforeprint", forPrint);
    window.addEventListener("afterprint", forScreen);
    return () => {
      window.removeEventListener("beforeprint", forPrint);
      window.removeEventListener("afterprint", forScreen);
    };
  }, []);
  const data = {
    labels: currentLabels,
    datasets: [
      { label: "This sprint", data: current.map((day) => day.deployments), backgroundColor: CURRENT_COLOUR },
      { label: "Previous sprint (same day of the sprint)", data: previous.map((day) => day.deployments), backgroundColor: PREVIOUS_COLOUR },
    ],
  };
  const options = {
    responsive: true,
    maintainAspectRatio: false,
    animation: false as const,
    scales: {
      x: { ticks: { autoSkip: true, maxRotation: 0 } },
      // One count of headroom, so the tallest bar does not touch the frame.
      y: { beginAtZero: true, grace: 1, ticks: { precision: 0 }, title: { display: true, text: "deployments" } },
    },
    plugins: {
      legend: { position: "bottom" as const },
      tooltip: {
        callbacks: {
          // Each bar names its own date: the two sprints' days differ.
          title: (items: TooltipItem<"bar">[]) => {
            const item = items[0];
            if (!item) return "";
            return item.datasetIndex === 0 ? currentLabels[item.dataIndex]! : previousLabels[item.dataIndex]!;
          },
        },
      },
    },
  };
  return (
    <div className="retro-chart">
      <Bar ref={chart} data={data} options={options} role="img" aria-label={summary} />
    </div>
  );
}
