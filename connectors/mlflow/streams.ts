/**
 * The MLflow connector's one stream, read for each registered model a project names
 * (docs/mlflow.md). An alias has no history, so each sync takes a snapshot of the model's
 * production pointers — the configured `production_aliases`, and the versions in stage
 * `Production` (servers before aliases) — compares it with the pointers the stored events say
 * were live, and stores the differences as events: a version that came on a pointer (a
 * completed production deployment of kind `model`, at the sync's time; a first sync places the
 * pointers it finds at their version's last update) or went off it. Then the configured metrics
 * of each live version's run are read as model metrics.
 *
 * Resumable: the events are the truth, and the deployments are derived from every stored `on`
 * event on each sync, so a run killed between the two writes loses nothing; a re-read that
 * finds the same pointers writes nothing.
 */
import { and, asc, eq } from "drizzle-orm";
import { z } from "zod";
import { upsert, type Stream, type StreamRun } from "@/connectors/stream";
import { deployments, modelMetrics, modelPointerEvents } from "@/db/schema";
import type { MlflowClient } from "./client";
import type { ModelVersionPayload, RegisteredModelPayload } from "./payloads";
import {
  aliasPointer,
  deploymentRecord,
  metricRecord,
  pointerEventRecord,
  PRODUCTION_STAGE,
  SOURCE,
  STAGE_POINTER,
  versionUpdatedAt,
  type MetricDirection,
  type PointerChangeSeen,
} from "./records";

/** What the connector reads of `sources.mlflow`. */
export interface MlflowSettings {
  base_url: string;
  token?: string;
  production_aliases: string[];
  /** A metric's name, or its name and the direction its observations state. */
  metrics: (string | { name: string; direction: MetricDirection })[];
}

/** What every stream of a run shares. */
export interface MlflowSession {
  client: MlflowClient;
  settings: MlflowSettings;
  /** The sync's clock (tests set it). */
  now: () => Date;
}

type ModelRun = StreamRun<string, MlflowSession, unknown>;

/** pointer → version → the version's payload (what was stored with its `on` event, or read now). */
type Pointers = Map<string, Map<string, unknown>>;

const checkedCursor = z.object({ checked_at: z.iso.datetime() });

export const productionStream: Stream<string, MlflowSession, z.infer<typeof checkedCursor>> = {
  name: "production",
  cursor: checkedCursor,
  async read(run) {
    const { partition: name, session, emit } = run;
    const at = session.now().toISOString();
    const model = await session.client.registeredModel(name);
    const stored = await storedEvents(run, name);
    const live = livePointers(stored);
    const current = await currentPointers(session, model, live);
    // A first sync cannot know when the pointers it finds moved: their version's last update is the best guess (kpis.md).
    const firstSync = run.state === null;
    const changes = pointerChanges(name, live, current, (payload) => (firstSync ? versionUpdatedAt(payload as ModelVersionPayload, at) : at), at, model);
    const events = changes.map(pointerEventRecord);
    if (changes.length) run.log(`mlflow ${name}: ${changes.map((c) => `${c.pointer} ${c.change === "on" ? "→" : "left"} version ${c.version}`).join(", ")}`);
    const arrivals = [...stored, ...events].filter((event) => event.change === "on");
    await emit([
      upsert(modelPointerEvents, events, { key: `${name}:pointer_events` }),
      upsert(deployments, arrivals.map(deploymentRecord), { key: `${name}:deployments`, changedOnly: true }),
    ]);
    await emit([upsert(modelMetrics, await liveMetrics(run, current), { key: `${name}:model_metrics`, changedOnly: true })]);
    return { cursor: { checked_at: at }, etag: null };
  },
};

async function storedEvents(run: ModelRun, name: string) {
  return run.stored.db
    .select({ model: modelPointerEvents.model, pointer: modelPointerEvents.pointer, version: modelPointerEvents.version, change: modelPointerEvents.change, at: modelPointerEvents.at, raw: modelPointerEvents.raw })
    .from(modelPointerEvents)
    .where(and(eq(modelPointerEvents.source, SOURCE), eq(modelPointerEvents.model, name)))
    .orderBy(asc(modelPointerEvents.at), asc(modelPointerEvents.id));
}

/** The pointers the stored events leave live: each `on` not followed by an `off` of the same pointer and version. */
function livePointers(events: { pointer: string; version: string; change: string; raw: unknown }[]): Pointers {
  const live: Pointers = new Map();
  for (const event of events) {
    const versions = live.get(event.pointer) ?? new Map<string, unknown>();
    if (event.change === "on") versions.set(event.version, event.raw);
    else versions.delete(event.version);
    live.set(event.pointer, versions);
  }
  return live;
}

/**
 * The model's production pointers now. An alias that still points where it did is not asked
 * for again (its version's payload is the stored one); a moved or new one is read by alias.
 * The stage is read only when the model has a version in it (the registered model's latest
 * versions show the newest of each stage), then every version of the model is searched, since
 * several may be in `Production` at once.
 */
async function currentPointers(session: MlflowSession, model: RegisteredModelPayload, live: Pointers): Promise<Pointers> {
  const current: Pointers = new Map();
  for (const alias of session.settings.production_aliases) {
    const pointer = aliasPointer(alias);
    const version = model.aliases?.find((candidate) => candidate.alias === alias)?.version;
    if (version === undefined) continue;
    const known = live.get(pointer);
    if (known?.has(version)) {
      current.set(pointer, new Map([[version, known.get(version)]]));
      continue;
    }
    const payload = await session.client.versionByAlias(model.name, alias);
    if (payload) current.set(pointer, new Map([[payload.version, payload]]));
  }
  const inStage = (version: ModelVersionPayload) => version.current_stage?.toLowerCase() === PRODUCTION_STAGE.toLowerCase();
  if (model.latest_versions?.some(inStage)) {
    const staged = new Map<string, unknown>();
    for await (const page of session.client.versions(model.name)) for (const version of page.filter(inStage)) staged.set(version.version, version);
    current.set(STAGE_POINTER, staged);
  }
  return current;
}

/** What moved between `live` and `current`: versions that came on a pointer, and versions that went off. */
function pointerChanges(
  model: string,
  live: Pointers,
  current: Pointers,
  arrivedAt: (payload: unknown) => string,
  at: string,
  modelPayload: RegisteredModelPayload,
): PointerChangeSeen[] {
  const changes: PointerChangeSeen[] = [];
  for (const pointer of new Set([...live.keys(), ...current.keys()])) {
    const before = live.get(pointer) ?? new Map<string, unknown>();
    const now = current.get(pointer) ?? new Map<string, unknown>();
    for (const version of before.keys()) {
      if (!now.has(version)) changes.push({ model, pointer, version, change: "off", at, raw: modelPayload });
    }
    for (const [version, payload] of now) {
      if (!before.has(version)) changes.push({ model, pointer, version, change: "on", at: arrivedAt(payload), raw: payload });
    }
  }
  return changes;
}

/** The configured metrics of every live version's run, as observations. */
async function liveMetrics(run: ModelRun, current: Pointers) {
  const { partition: name, session } = run;
  const wanted = new Map(session.settings.metrics.map((metric) => (typeof metric === "string" ? [metric, undefined] : [metric.name, metric.direction])));
  if (wanted.size === 0) return [];
  const versions = new Map<string, ModelVersionPayload>();
  for (const pointed of current.values()) for (const [version, payload] of pointed) versions.set(version, payload as ModelVersionPayload);
  const records = [];
  for (const [version, payload] of versions) {
    const runId = payload.run_id;
    if (!runId) continue;
    const metrics = await session.client.runMetrics(runId);
    if (metrics === null) {
      run.log(`mlflow ${name}: the tracking server has no run ${runId} (version ${version}); its metrics are not read`);
      continue;
    }
    for (const metric of metrics) {
      if (!wanted.has(metric.key)) continue;
      const record = metricRecord(name, version, runId, metric, wanted.get(metric.key));
      if (record) records.push(record);
      else run.log(`mlflow ${name}: metric ${metric.key} of version ${version} is ${String(metric.value)}, not a number; left out`);
    }
  }
  return records;
}
