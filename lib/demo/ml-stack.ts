/**
 * The demo organisation's models and datasets as the MLflow and Airflow sources store them,
 * built by those connectors' own record functions: each model's `production` alias moves to a
 * new version at every weekly retrain (now and then back to the previous version for a day,
 * a rollback, then on to a fix), every version's training run logs its metrics, and each
 * dataset is refreshed by a scheduled DAG whose finished runs (with the odd failure and one
 * multi-day outage) are its refreshes.
 */
import type { InferInsertModel } from "drizzle-orm";
import type { dataRefreshes, deployments, modelMetrics, modelPointerEvents } from "@/db/schema";
import { refreshRecord } from "@/connectors/airflow/records";
import type { DagRunPayload } from "@/connectors/airflow/payloads";
import { aliasPointer, deploymentRecord, metricRecord, pointerEventRecord, type MetricDirection } from "@/connectors/mlflow/records";
import type { ModelVersionPayload } from "@/connectors/mlflow/payloads";
import type { SeededRandom } from "./random";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const iso = (ms: number) => new Date(ms).toISOString();

export interface MlStackRecords {
  deployments: InferInsertModel<typeof deployments>[];
  modelMetrics: InferInsertModel<typeof modelMetrics>[];
  modelPointerEvents: InferInsertModel<typeof modelPointerEvents>[];
  dataRefreshes: InferInsertModel<typeof dataRefreshes>[];
}

const PRODUCTION = aliasPointer("production");

/** A model registry's weekly retrains: versions, the production alias moving between them, their run metrics. */
export function generateRegistryModel(random: SeededRandom, out: MlStackRecords, plan: { model: string; start: number; end: number }) {
  const { model, start, end } = plan;
  let live: ModelVersionPayload | null = null;
  let previous: ModelVersionPayload | null = null;
  let versions = 0;
  let auc = random.float(0.86, 0.9);
  const register = (trainedAt: number): ModelVersionPayload => {
    versions += 1;
    auc = Math.min(0.97, Math.max(0.8, auc + random.float(-0.01, 0.015)));
    const version = { name: model, version: String(versions), creation_timestamp: trainedAt, last_updated_timestamp: trainedAt, current_stage: "None", run_id: `${model}-run-${versions}`, status: "READY" as const };
    const metrics: [string, number, MetricDirection?][] = [
      ["auc", auc],
      ["precision_at_1pct", auc - 0.2 + random.float(-0.02, 0.02)],
      ["log_loss", 1 - auc + random.float(0, 0.05), "lower"],
    ];
    for (const [key, value, direction] of metrics) {
      const record = metricRecord(model, version.version, version.run_id, { key, value: Number(value.toFixed(4)), timestamp: trainedAt, step: 0 }, direction);
      if (record) out.modelMetrics.push(record);
    }
    return version;
  };
  const point = (version: ModelVersionPayload, at: number) => {
    if (live) out.modelPointerEvents.push(pointerEventRecord({ model, pointer: PRODUCTION, version: live.version, change: "off", at: iso(at), raw: { name: model } }));
    const on = { model, pointer: PRODUCTION, version: version.version, change: "on" as const, at: iso(at), raw: { ...version, aliases: ["production"] } };
    out.modelPointerEvents.push(pointerEventRecord(on));
    out.deployments.push(deploymentRecord(on));
    previous = live;
    live = version;
  };
  for (let day = start; day < end; day += DAY) {
    if (new Date(day).getUTCDay() !== 2 && !random.chance(0.05)) continue;
    const promotedAt = day + random.int(11, 16) * HOUR;
    point(register(Math.max(start, promotedAt - random.int(6, 20) * HOUR)), promotedAt);
    // A bad retrain now and then: the alias goes back to the previous version, and a fix follows the next day.
    if (previous && random.chance(0.08) && promotedAt + 2 * DAY < end) {
      const back: ModelVersionPayload = previous;
      point(back, promotedAt + random.int(2, 8) * HOUR);
      const fixedAt = promotedAt + DAY + random.int(2, 6) * HOUR;
      point(register(fixedAt - 3 * HOUR), fixedAt);
      day += DAY;
    }
  }
}

/** A dataset's scheduled DAG `load_<dataset>`: runs every few hours, the odd failure, one multi-day outage. */
export function generateDagRefreshes(random: SeededRandom, out: MlStackRecords, plan: { dataset: string; start: number; end: number; demoDays: number }) {
  const { dataset, start, end } = plan;
  const dagId = `load_${dataset.replaceAll("-", "_")}`;
  const everyHours = random.pick([6, 12, 24]);
  const outageStart = start + random.int(20, plan.demoDays - 20) * DAY;
  const outageEnd = outageStart + random.int(2, 4) * DAY;
  for (let at = start + 2 * HOUR; at < end; at += everyHours * HOUR) {
    const failed = (at >= outageStart && at < outageEnd) || random.chance(0.04);
    const logicalDate = iso(at - everyHours * HOUR).replace(".000Z", "+00:00");
    const run: DagRunPayload = {
      dag_id: dagId,
      dag_run_id: `scheduled__${logicalDate}`,
      logical_date: logicalDate,
      run_type: "scheduled",
      state: failed ? "failed" : "success",
      start_date: iso(at),
      end_date: iso(at + random.int(5, 40) * 60_000),
    };
    const record = refreshRecord(dataset, run);
    if (record) out.dataRefreshes.push(record);
  }
}
