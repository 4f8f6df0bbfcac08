/**
 * GET /metrics: every project's current-window KPI values, targets and statuses, the DORA Quick
 * Check scores, and each configured source's sync health, for Prometheus to scrape. prom-client
 * writes the exposition format (Prometheus text 0.0.4, or OpenMetrics 1.0 when the scraper
 * asks for it); this module only says what the series are.
 *
 * The current window is the dashboard's default: the last 28 days ending yesterday in each
 * project's zone, from the report cache (lib/report/cache.ts), so a scrape every 15 s costs a
 * snapshot query while the database is unchanged.
 */
import { and, desc, eq, max } from "drizzle-orm";
import { Gauge, Registry, type RegistryContentType } from "prom-client";
import type { Store } from "@/db/client";
import { syncRuns, syncRunStatuses } from "@/db/schema";
import type { Config } from "@/lib/config/load";
import { scoredKpis } from "@/lib/kpis/dora/quick-check";
import { warmReports } from "@/lib/report/cache";
import type { Report } from "@/lib/report/build";
import type { Status } from "@/lib/targets/status";
import { SOURCE_NAMES } from "@/connectors/sources";

const statuses: Status[] = ["met", "at_risk", "missed", "no_target", "no_data"];

/** The label a project-level entry carries for `dimension` (Prometheus has no null label). */
const PROJECT_ENTRY = "";

export interface Exposition {
  contentType: string;
  body: string;
}

/** The OpenMetrics media type when the Accept header asks for it, else Prometheus text. */
export function negotiateFormat(accept: string | null): RegistryContentType {
  return /application\/openmetrics-text/i.test(accept ?? "") ? Registry.OPENMETRICS_CONTENT_TYPE : Registry.PROMETHEUS_CONTENT_TYPE;
}

export async function metricsExposition(store: Store, config: Config, format: RegistryContentType, now: Date = new Date()): Promise<Exposition> {
  const registry = new Registry<RegistryContentType>();
  registry.setContentType(format);
  kpiSeries(registry, await warmReports(store, config, now));
  await sourceSeries(registry, store, config);
  return { contentType: registry.contentType, body: await registry.metrics() };
}

function kpiSeries(registry: Registry<RegistryContentType>, reports: Report[]) {
  const labelNames = ["project", "kpi", "dimension"] as const;
  const value = new Gauge({ name: "shipshape_kpi_value", help: "KPI value over the current window (last 28 days ending yesterday), in the KPI's unit; absent when the value is null", labelNames, registers: [registry] });
  const samples = new Gauge({ name: "shipshape_kpi_sample_size", help: "How many events the KPI value was computed from", labelNames, registers: [registry] });
  const target = new Gauge({ name: "shipshape_kpi_target", help: "The KPI's target in force at the window's end; absent when none is set", labelNames, registers: [registry] });
  const status = new Gauge({
    name: "shipshape_kpi_status",
    help: "The KPI's status against its target: 1 for the current status, 0 for the others",
    labelNames: [...labelNames, "status"],
    registers: [registry],
  });
  const score = new Gauge({ name: "shipshape_dora_score", help: "DORA Quick Check score (0-10) of a DORA KPI, or kpi=\"overall\" for their mean", labelNames: ["project", "kpi"], registers: [registry] });
  const windowDays = new Gauge({ name: "shipshape_report_window_days", help: "Days in the current window of the project's report", labelNames: ["project"], registers: [registry] });

  for (const report of reports) {
    windowDays.set({ project: report.project }, report.days);
    for (const entry of report.kpis) {
      const labels = { project: report.project, kpi: entry.id, dimension: entry.dimension ?? PROJECT_ENTRY };
      if (entry.value !== null) value.set(labels, entry.value);
      samples.set(labels, entry.sample_size);
      if (entry.target) target.set(labels, entry.target.value);
      for (const state of statuses) status.set({ ...labels, status: state }, entry.status === state ? 1 : 0);
    }
    for (const kpi of [...scoredKpis, "overall" as const]) {
      const points = report.scores[kpi];
      if (points !== undefined && points !== null) score.set({ project: report.project, kpi }, points);
    }
  }
}

async function sourceSeries(registry: Registry<RegistryContentType>, store: Store, config: Config) {
  const lastSuccess = new Gauge({ name: "shipshape_source_last_success_timestamp_seconds", help: "When the source's last fully successful sync finished (Unix seconds)", labelNames: ["source"], registers: [registry] });
  const lastRun = new Gauge({ name: "shipshape_source_last_run_timestamp_seconds", help: "When the source's last sync started (Unix seconds)", labelNames: ["source"], registers: [registry] });
  const lastStatus = new Gauge({ name: "shipshape_source_last_run_status", help: "The last sync's status: 1 for its status, 0 for the others", labelNames: ["source", "status"], registers: [registry] });
  const records = new Gauge({ name: "shipshape_source_last_run_records", help: "Records the last sync stored, by kind", labelNames: ["source", "kind"], registers: [registry] });

  for (const source of SOURCE_NAMES.filter((name) => config.sources[name])) {
    const [run] = await store.db.select().from(syncRuns).where(eq(syncRuns.source, source)).orderBy(desc(syncRuns.startedAt), desc(syncRuns.id)).limit(1);
    if (!run) continue;
    lastRun.set({ source }, seconds(run.startedAt));
    for (const state of syncRunStatuses) lastStatus.set({ source, status: state }, run.status === state ? 1 : 0);
    for (const [kind, count] of Object.entries(run.records)) records.set({ source, kind }, count);
    const [success] = await store.db
      .select({ at: max(syncRuns.finishedAt) })
      .from(syncRuns)
      .where(and(eq(syncRuns.source, source), eq(syncRuns.status, "succeeded")));
    if (success?.at) lastSuccess.set({ source }, seconds(success.at));
  }
}

/** Timestamps come back as PostgreSQL text; Prometheus wants Unix seconds. */
const seconds = (timestamp: string) => Date.parse(timestamp) / 1000;
