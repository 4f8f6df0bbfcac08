/**
 * The weekly email in its three forms from one summary: the subject, the HTML part (react-email,
 * charts as inline CID images — or data URIs for the browser preview) and a plain-text part
 * written for reading, not converted from the HTML, that carries every number the charts show.
 */
import { render } from "@react-email/render";
import { format, parseISO } from "date-fns";
import { marksChart } from "@/lib/annotations/marks";
import { shiftDate } from "@/lib/time/window";
import { shortLabel, trendChartPng, type ChartMark } from "./chart";
import { formatValue } from "@/lib/format/values";
import { columnFormat } from "@/lib/format/axis";
import { rowChangeWords } from "./format";
import type { DigestLinks } from "./links";
import { weekAnnotations, type WeeklySummary } from "./summary";
import { annotationLine, headline, label, moverWords, offTrackLine, STATUS_WORDS, WeeklyDigestEmail, type ChartImage } from "./template";

export interface InlineImage {
  cid: string;
  filename: string;
  content: Buffer;
  contentType: "image/png";
}

export interface RenderedDigest {
  subject: string;
  html: string;
  text: string;
  /** The charts, referenced from the HTML as cid:<cid>; empty for a week without data. */
  images: InlineImage[];
}

const CHART_WIDTH = 560;
const CHART_HEIGHT = 170;

export interface RenderOptions {
  /** "cid" for an email, "data" for a browser (there are no MIME parts to point at). */
  images: "cid" | "data";
  /** The charts when already drawn (a send draws them once for every subscriber). */
  charts?: InlineImage[];
}

export async function renderDigest(summary: WeeklySummary, links: DigestLinks, { images, charts: drawn }: RenderOptions = { images: "cid" }): Promise<RenderedDigest> {
  const pngs = drawn ?? (summary.noData ? [] : chartImages(summary));
  const charts: ChartImage[] = pngs.map((png, index) => ({
    id: png.cid,
    src: images === "cid" ? `cid:${png.cid}` : `data:image/png;base64,${png.content.toString("base64")}`,
    alt: `${summary.trends[index]!.title} by week (the numbers are in the table below)`,
    width: CHART_WIDTH,
    height: CHART_HEIGHT,
  }));
  const html = await render(WeeklyDigestEmail({ summary, links, charts }));
  return { subject: summary.subject, html, text: digestText(summary, links), images: images === "cid" ? pngs : [] };
}

export function chartImages(summary: WeeklySummary): InlineImage[] {
  const labels = summary.trendWeeks.map((monday) => format(parseISO(monday), "MMM d"));
  return summary.trends.map((trend) => ({
    cid: `${trend.id}.${summary.project.slug}.${summary.week.from}@shipshape`,
    filename: `${trend.id}.png`,
    content: trendChartPng({ title: trend.title, unit: trend.unit, labels, values: trend.values, mondays: summary.trendWeeks, forecast: trend.forecast, marks: chartMarks(summary, trend.id) }),
    contentType: "image/png",
  }));
}

/** The chart's marks: per week, the annotations that mark this KPI's chart, as one short label ("Release v1.10.0 +1"). */
export function chartMarks(summary: Pick<WeeklySummary, "trendWeeks" | "annotations">, kpi: string): ChartMark[] {
  return summary.trendWeeks.flatMap((monday, index) => {
    const sunday = shiftDate(monday, 6);
    const marked = summary.annotations.filter((a) => marksChart(a, kpi) && a.at >= monday && a.at <= sunday);
    if (marked.length === 0) return [];
    return [{ index, label: `${shortLabel(marked[0]!.text)}${marked.length > 1 ? ` +${marked.length - 1}` : ""}` }];
  });
}

export function digestText(summary: WeeklySummary, links: DigestLinks): string {
  const { project, week } = summary;
  const lines = [`${project.name}: the week of ${week.from}`, `Monday ${week.from} to Sunday ${week.to} (${project.timezone}), compared with the week before.`, ""];
  if (summary.noData) {
    lines.push(`No data arrived for ${project.name} last week, so there is nothing to summarise.`, "Connect a source to get KPIs in next week's summary:");
    for (const hint of summary.connect) {
      lines.push(`- ${hint.gives.join(", ")}: ${hint.what}${hint.configured ? " (configured, but nothing arrived: check the sources page)" : ""}`);
    }
    lines.push("", `Sources and their last syncs: ${links.sources}`);
  } else {
    lines.push(headline(summary), "");
    if (summary.worst || summary.best) {
      lines.push("WHAT CHANGED MOST");
      if (summary.worst) lines.push(`Worst: ${moverWords(summary.worst)}`);
      if (summary.best) lines.push(`Best: ${moverWords(summary.best)}`);
      lines.push("");
    }
    if (summary.missed.length) {
      lines.push("TARGETS MISSED");
      for (const row of summary.missed) lines.push(`- ${label(row)}: ${formatValue(row.value, row.unit)} against a target of ${formatValue(row.target!.value, row.unit)}`);
      lines.push("");
    }
    if (summary.offTrack.length) {
      lines.push("OFF TRACK FOR THEIR DUE DATE");
      for (const item of summary.offTrack) lines.push(`- ${offTrackLine(item)}`);
      lines.push("");
    }
    const noted = weekAnnotations(summary);
    if (noted.length) {
      lines.push("NOTES AND EVENTS THIS WEEK");
      for (const annotation of noted) lines.push(`- ${annotationLine(annotation)}`);
      lines.push("");
    }
    lines.push(`TRENDS, LAST ${summary.trendWeeks.length} WEEKS`);
    const formats = summary.trends.map((t) => columnFormat(t.unit, t.values));
    lines.push(columns(["Week of", ...summary.trends.map((t) => t.title)], summary.trendWeeks.map((monday, i) => [monday, ...summary.trends.map((t, c) => formats[c]!(t.values[i] ?? null))])));
    lines.push("", "EVERY KPI");
    lines.push(
      columns(
        ["KPI", "Value", "Target", "Status", "Change", "DORA"],
        summary.rows.map((row) => [
          row.title,
          formatValue(row.value, row.unit),
          row.target ? formatValue(row.target.value, row.unit) : "-",
          STATUS_WORDS[row.status],
          rowChangeWords(row) ?? "-",
          row.band ?? "",
        ]),
      ),
    );
  }
  lines.push("", `Open ${project.name} in Shipshape: ${links.project}`, `View this summary in the browser: ${links.preview}`, `Unsubscribe: ${links.unsubscribe}`);
  return `${lines.join("\n")}\n`;
}

/** A fixed-width table: the first column left-aligned, the others right-aligned. */
function columns(header: string[], rows: string[][]): string {
  const all = [header, ...rows];
  const widths = header.map((_, i) => Math.max(...all.map((row) => row[i]!.length)));
  return all.map((row) => row.map((value, i) => (i === 0 ? value.padEnd(widths[i]!) : value.padStart(widths[i]!))).join("  ").trimEnd()).join("\n");
}
