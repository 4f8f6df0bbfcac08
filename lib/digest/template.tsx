/**
 * The weekly email's HTML, as a react-email template: tables and inline styles only, which is
 * what Outlook, Gmail and Apple Mail agree on. Rendered by render.ts; the preview page shows the
 * same HTML.
 */
import { Body, Container, Head, Heading, Hr, Html, Img, Link, Preview, Section, Text } from "@react-email/components";
import type { CSSProperties } from "react";
import type { Status } from "@/lib/targets/status";
import type { Annotation } from "@/lib/annotations/marks";
import { formatDay, formatWeekday } from "@/lib/format/dates";
import { formatValue } from "@/lib/format/values";
import { columnFormat } from "@/lib/format/axis";
import { rowChangeWords } from "./format";
import type { DigestLinks } from "./links";
import { weekAnnotations, type DigestRow, type Mover, type OffTrack, type WeeklySummary } from "./summary";

export interface ChartImage {
  id: string;
  /** cid:… in the email, a data: URI in the preview. */
  src: string;
  alt: string;
  width: number;
  height: number;
}

const font = "Helvetica, Arial, sans-serif";
const page: CSSProperties = { backgroundColor: "#f3f4f6", fontFamily: font, color: "#111827", margin: 0, padding: "16px 0" };
const card: CSSProperties = { backgroundColor: "#ffffff", maxWidth: "600px", margin: "0 auto", padding: "20px", borderRadius: "6px" };
const h1: CSSProperties = { fontSize: "20px", margin: "0 0 4px" };
const h2: CSSProperties = { fontSize: "16px", margin: "20px 0 8px" };
const muted: CSSProperties = { color: "#6b7280", fontSize: "13px", margin: "0 0 8px" };
const text: CSSProperties = { fontSize: "14px", lineHeight: "20px", margin: "0 0 8px" };
const cell: CSSProperties = { fontSize: "13px", padding: "6px 8px", borderBottom: "1px solid #e5e7eb", textAlign: "left", verticalAlign: "top" };
const headCell: CSSProperties = { ...cell, color: "#6b7280", fontWeight: "bold", borderBottom: "2px solid #d1d5db" };
const number: CSSProperties = { ...cell, textAlign: "right", whiteSpace: "nowrap" };
const link: CSSProperties = { color: "#2563eb" };

export const STATUS_WORDS: Record<Status, string> = { met: "met", at_risk: "at risk", missed: "missed", no_target: "no target", no_data: "no data" };
const STATUS_COLORS: Record<Status, string> = { met: "#15803d", at_risk: "#b45309", missed: "#b91c1c", no_target: "#6b7280", no_data: "#6b7280" };

export function WeeklyDigestEmail({ summary, links, charts }: { summary: WeeklySummary; links: DigestLinks; charts: ChartImage[] }) {
  const { project, week } = summary;
  return (
    <Html lang="en">
      <Head />
      <Preview>{summary.subject}</Preview>
      <Body style={page}>
        <Container style={card}>
          <Heading as="h1" style={h1}>
            {project.name}: the week of {week.from}
          </Heading>
          <Text style={muted}>
            Monday {week.from} to Sunday {week.to} ({project.timezone}), compared with the week before.
          </Text>
          {summary.noData ? <NoData summary={summary} links={links} /> : <Summary summary={summary} links={links} charts={charts} />}
          <Hr style={{ borderColor: "#e5e7eb", margin: "20px 0 12px" }} />
          <Text style={muted}>
            <Link href={links.project} style={link}>
              Open {project.name} in Shipshape
            </Link>
            {" · "}
            <Link href={links.preview} style={link}>
              View this summary in the browser
            </Link>
          </Text>
          <Text style={muted}>
            You receive this because you subscribed to {project.name}&apos;s weekly summary.{" "}
            <Link href={links.unsubscribe} style={link}>
              Unsubscribe
            </Link>
          </Text>
        </Container>
      </Body>
    </Html>
  );
}

function Summary({ summary, links, charts }: { summary: WeeklySummary; links: DigestLinks; charts: ChartImage[] }) {
  return (
    <>
      <Text style={{ ...text, fontWeight: "bold" }}>{headline(summary)}</Text>
      <Movers best={summary.best} worst={summary.worst} />
      {summary.missed.length > 0 && (
        <Section>
          <Heading as="h2" style={h2}>
            Targets missed
          </Heading>
          {summary.missed.map((row) => (
            <Text key={`${row.id}/${row.dimension}`} style={text}>
              <Link href={links.kpi(row.id)} style={link}>
                {label(row)}
              </Link>
              : {formatValue(row.value, row.unit)} against a target of {formatValue(row.target!.value, row.unit)}
            </Text>
          ))}
        </Section>
      )}
      <OffTrackTargets summary={summary} links={links} />
      <WeekAnnotations summary={summary} />
      <Heading as="h2" style={h2}>
        Trends, last {summary.trendWeeks.length} weeks
      </Heading>
      {charts.map((chart) => (
        <Img key={chart.id} src={chart.src} alt={chart.alt} width={chart.width} height={chart.height} style={{ display: "block", maxWidth: "100%", height: "auto", margin: "0 0 8px" }} />
      ))}
      <TrendNumbers summary={summary} />
      <Heading as="h2" style={h2}>
        Every KPI
      </Heading>
      <KpiTable rows={summary.rows} links={links} />
    </>
  );
}

/** Targets whose trend will not reach them by their due date (lib/targets/forecast.ts), soonest due first. */
function OffTrackTargets({ summary, links }: { summary: WeeklySummary; links: DigestLinks }) {
  if (summary.offTrack.length === 0) return null;
  return (
    <Section>
      <Heading as="h2" style={h2}>
        Off track for their due date
      </Heading>
      {summary.offTrack.map((item) => (
        <Text key={`${item.row.id}/${item.row.dimension}`} style={text}>
          <Link href={links.kpi(item.row.id)} style={link}>
            {label(item.row)}
          </Link>
          {offTrackLine(item).slice(label(item.row).length)}
        </Text>
      ))}
    </Section>
  );
}

/** "Deployment frequency (Ana Lima, due 31 Mar 2027): off track — at this pace 2.1 / day by 31 Mar, target 3 / day" */
export function offTrackLine({ row, words }: OffTrack): string {
  const owner = row.target?.owner ? `${row.target.owner}, ` : "";
  return `${label(row)} (${owner}due ${formatDay(row.forecast!.due)}): ${words}`;
}

export function headline(summary: WeeklySummary): string {
  if (summary.judged === 0) return "No KPI has a target yet: set targets to see which ones need attention.";
  const met = summary.judged - summary.missed.length - summary.atRisk.length;
  return `${summary.judged} ${summary.judged === 1 ? "KPI has" : "KPIs have"} a target: ${met} met, ${summary.atRisk.length} at risk, ${summary.missed.length} missed.`;
}

function Movers({ best, worst }: { best: Mover | null; worst: Mover | null }) {
  if (!best && !worst) return <Text style={text}>No KPI changed from the week before.</Text>;
  return (
    <Section>
      <Heading as="h2" style={h2}>
        What changed most
      </Heading>
      {worst && <Text style={text}>Worst: {moverWords(worst)}</Text>}
      {best && <Text style={text}>Best: {moverWords(best)}</Text>}
    </Section>
  );
}

/** "Wed 14 Oct · Release v1.10.0": one annotation of the week as the email lists it. */
export function annotationLine(annotation: Annotation): string {
  return `${formatWeekday(annotation.at)} · ${annotation.text}`;
}

/** The week's notes and events, which the charts mark: why a line moved, in words. */
function WeekAnnotations({ summary }: { summary: WeeklySummary }) {
  const noted = weekAnnotations(summary);
  if (noted.length === 0) return null;
  return (
    <Section>
      <Heading as="h2" style={h2}>
        Notes and events this week
      </Heading>
      {noted.map((annotation, index) => (
        <Text key={index} style={text}>
          {annotationLine(annotation)}
        </Text>
      ))}
    </Section>
  );
}

export function moverWords({ row }: Mover): string {
  return `${row.title} ${rowChangeWords(row)} (${formatValue(row.previous, row.unit)} → ${formatValue(row.value, row.unit)})`;
}

function TrendNumbers({ summary }: { summary: WeeklySummary }) {
  // One unit per column, as the chart's axis has one.
  const formats = summary.trends.map((trend) => columnFormat(trend.unit, trend.values));
  return (
    <table role="presentation" cellPadding={0} cellSpacing={0} style={{ borderCollapse: "collapse", width: "100%" }}>
      <thead>
        <tr>
          <th style={headCell}>Week of</th>
          {summary.trends.map((trend) => (
            <th key={trend.id} style={{ ...headCell, textAlign: "right" }}>
              {trend.title}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {summary.trendWeeks.map((monday, index) => (
          <tr key={monday}>
            <td style={cell}>{monday}</td>
            {summary.trends.map((trend, column) => (
              <td key={trend.id} style={number}>
                {formats[column]!(trend.values[index] ?? null)}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function KpiTable({ rows, links }: { rows: DigestRow[]; links: DigestLinks }) {
  return (
    <table role="presentation" cellPadding={0} cellSpacing={0} style={{ borderCollapse: "collapse", width: "100%" }}>
      <thead>
        <tr>
          <th style={headCell}>KPI</th>
          <th style={{ ...headCell, textAlign: "right" }}>Value</th>
          <th style={{ ...headCell, textAlign: "right" }}>Target</th>
          <th style={headCell}>Status</th>
          <th style={{ ...headCell, textAlign: "right" }}>Change</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={row.id}>
            <td style={cell}>
              <Link href={links.kpi(row.id)} style={link}>
                {row.title}
              </Link>
              {row.band && <span style={{ color: "#6b7280" }}> · DORA {row.band}</span>}
            </td>
            <td style={number}>{formatValue(row.value, row.unit)}</td>
            <td style={number}>{row.target ? formatValue(row.target.value, row.unit) : "–"}</td>
            <td style={{ ...cell, color: STATUS_COLORS[row.status], fontWeight: "bold" }}>{STATUS_WORDS[row.status]}</td>
            <td style={number}>{rowChangeWords(row) ?? "–"}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function NoData({ summary, links }: { summary: WeeklySummary; links: DigestLinks }) {
  return (
    <Section>
      <Text style={{ ...text, fontWeight: "bold" }}>No data arrived for {summary.project.name} last week, so there is nothing to summarise.</Text>
      <Text style={text}>Connect a source to get KPIs in next week&apos;s summary:</Text>
      {summary.connect.map((hint) => (
        <Text key={hint.what} style={text}>
          • {hint.gives.join(", ")}: {hint.what}
          {hint.configured ? " (configured, but nothing arrived: check the sources page)" : ""}
        </Text>
      ))}
      <Text style={text}>
        <Link href={links.sources} style={link}>
          See the sources and their last syncs
        </Link>
      </Text>
    </Section>
  );
}

export function label(row: DigestRow): string {
  return row.dimension ? `${row.title} [${row.dimension}]` : row.title;
}
