/**
 * Targets a product owner sets per project, KPI and optional dimension, with their history
 * (kpis.md, "Targets and status"). Every change is a row of target_changes; the target in force
 * at an instant is the latest row at or before it, and a removal is a row with value null, so
 * a report for a past window is judged against the target of that time — and a window that
 * ended before the first target was set against that first target, so a new target shows a
 * status at once (the default window ends yesterday).
 */
import { sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import type { Store } from "@/db/client";
import { targetChanges, targetInput } from "@/db/schema";
import { unknownProjectMessage, type Config, type ProjectConfig } from "@/lib/config/load";
import { findKpiIdentity, kpiIds, type KpiIdentity } from "@/lib/kpis/ids";
import type { Direction, Unit } from "@/lib/kpis/kpi";
import { isoInstant } from "@/lib/kpis/sql/fragments";
import type { ReportWindow } from "@/lib/time/window";

export type Status = "met" | "at_risk" | "missed" | "no_target" | "no_data";

export interface Target {
  value: number;
  /** The margin in the KPI's unit; absent or null means the default, 10 % of the target. */
  warn?: number | null;
}

/** A target as a report shows it: the margin resolved. */
export interface TargetInForce {
  value: number;
  warn: number;
}

export interface TargetChange {
  kpi: string;
  /** Null for the project entry. */
  dimension: string | null;
  setAt: string;
  setBy: string;
  /** Before and after the change; null when there was no target / the target was removed. */
  old: { value: number; warn: number | null } | null;
  new: { value: number; warn: number | null } | null;
}

export type TargetRequest = z.input<typeof targetInput>;

/** A target as the HTTP API takes it (the project comes from the URL, who from the session). */
export const targetBody = z.strictObject({
  kpi: z.string(),
  dimension: z.string().optional(),
  value: z.number(),
  warn: z.number().optional(),
});

/** Which target to remove, from a query string or body. */
export const targetSelector = z.strictObject({ kpi: z.string(), dimension: z.string().optional() });

/** The first problem of a zod result as one line: "value: Invalid input: expected number, received string". */
export function firstIssue(error: z.ZodError): string {
  const [issue] = error.issues;
  return `${issue!.path.join(".") || "body"}: ${issue!.message}`;
}

/** Why a target was refused: the project does not exist (404) or the request is wrong (400). */
export class TargetError extends Error {
  constructor(
    message: string,
    readonly reason: "unknown_project" | "invalid",
  ) {
    super(message);
  }
}

/** The default margin is 10 % of the target; dividing by 10 gives 2.4 for 24, where × 0.1 gives 2.4000000000000004. */
const DEFAULT_WARN_DIVISOR = 10;

/** Comparisons at the exact target or margin must not fail on float noise (0.3 − 0.1 × 0.3). */
const EPSILON = 1e-9;

export function defaultWarn(target: number): number {
  return Math.abs(target) / DEFAULT_WARN_DIVISOR;
}

/**
 * A value against a target: met when it satisfies the target in the KPI's direction, at_risk
 * when it misses by at most `warn` (inclusive), else missed. A null value is no_data even when
 * a target is set: there is nothing to judge.
 */
export function statusOf(value: number | null, target: Target | null, direction: Direction): Status {
  if (value === null) return "no_data";
  if (!target) return "no_target";
  const warn = target.warn ?? defaultWarn(target.value);
  const shortfall = direction === "higher" ? target.value - value : value - target.value;
  const tolerance = EPSILON * Math.max(1, Math.abs(target.value));
  if (shortfall <= tolerance) return "met";
  if (shortfall <= warn + tolerance) return "at_risk";
  return "missed";
}

/**
 * Records a new target (or a changed margin). Setting exactly the target already in force
 * records nothing, so re-running a `targets set` is harmless. Returns whether a change was made.
 */
export async function setTarget(store: Store, config: Config, request: TargetRequest, now = new Date()): Promise<{ changed: boolean }> {
  const target = validateTarget(config, request);
  const current = await latestChange(store, target.project, target.kpi, target.dimension, now);
  if (current && current.value === target.value && current.warn === (target.warn ?? null)) return { changed: false };
  await store.db.insert(targetChanges).values({ ...target, warn: target.warn ?? null, setAt: now.toISOString() });
  return { changed: true };
}

/** Removes the target in force (a change to "no target"); nothing happens when none is set. */
export async function removeTarget(
  store: Store,
  config: Config,
  request: Omit<TargetRequest, "value" | "warn">,
  now = new Date(),
): Promise<{ changed: boolean }> {
  const target = validateTarget(config, { ...request, value: 0 });
  const current = await latestChange(store, target.project, target.kpi, target.dimension, now);
  if (!current || current.value === null) return { changed: false };
  await store.db.insert(targetChanges).values({ ...target, value: null, warn: null, setAt: now.toISOString() });
  return { changed: true };
}

/** The target in force at an instant (the latest change at or before it), or null. */
export async function targetInForce(
  store: Store,
  project: string,
  kpi: string,
  dimension: string | null,
  atInstant: Date | string,
): Promise<TargetInForce | null> {
  const change = await latestChange(store, project, kpi, dimension ?? "", new Date(atInstant));
  return change && change.value !== null ? resolved(change.value, change.warn) : null;
}

/**
 * Every target a report window is judged against, keyed by `targetKey`: the one in force at the
 * window's end (its last instant; a change made at the next local midnight already belongs to
 * the next window), or — for a KPI and dimension whose first target was set after the window
 * ended — that first target. Later changes never reach back: only the first one does.
 */
export async function targetsAtWindowEnd(store: Store, project: string, window: ReportWindow): Promise<Map<string, TargetInForce>> {
  return targetsInForceBefore(store, project, sql`set_at < ${window.end}::timestamptz`, { elseFirst: true });
}

/** Every target of a project in force now (or at `atInstant`), keyed by `targetKey`. */
export async function currentTargets(store: Store, project: string, atInstant: Date = new Date()): Promise<Map<string, TargetInForce>> {
  return targetsInForceBefore(store, project, sql`set_at <= ${atInstant.toISOString()}::timestamptz`);
}

export function targetKey(kpi: string, dimension: string | null): string {
  return `${kpi}\u0000${dimension ?? ""}`;
}

/** Every change of the project's targets, oldest first, with the value it replaced. */
export async function targetHistory(store: Store, project: string): Promise<TargetChange[]> {
  const rows = await store.rows<{
    kpi: string;
    dimension: string;
    set_at: string;
    set_by: string;
    value: number | null;
    warn: number | null;
    old_value: number | null;
    old_warn: number | null;
  }>(sql`
    SELECT kpi, dimension, ${isoInstant(sql`set_at`)} AS set_at, set_by, value, warn,
           lag(value) OVER same_target AS old_value, lag(warn) OVER same_target AS old_warn
    FROM ${targetChanges}
    WHERE project = ${project}
    WINDOW same_target AS (PARTITION BY kpi, dimension ORDER BY set_at, id)
    ORDER BY set_at, id`);
  return rows.map((row) => ({
    kpi: row.kpi,
    dimension: row.dimension || null,
    setAt: row.set_at,
    setBy: row.set_by,
    old: row.old_value === null ? null : { value: row.old_value, warn: row.old_warn },
    new: row.value === null ? null : { value: row.value, warn: row.warn },
  }));
}

/** The project's configuration, or a TargetError that says which projects exist. */
export function projectOf(config: Config, slug: string): ProjectConfig {
  const project = config.projects.find((p) => p.slug === slug);
  if (!project) throw new TargetError(unknownProjectMessage(config, slug), "unknown_project");
  return project;
}

/** The request checked against the contract and the configuration: shape, project, KPI, dimension, unit. */
function validateTarget(config: Config, request: TargetRequest): z.output<typeof targetInput> {
  const parsed = targetInput.safeParse(request);
  if (!parsed.success) throw new TargetError(firstIssue(parsed.error), "invalid");
  const target = { ...parsed.data, dimension: parsed.data.dimension.trim() };
  const project = projectOf(config, target.project);
  const kpi = findKpiIdentity(target.kpi);
  if (!kpi) throw new TargetError(`unknown KPI "${target.kpi}" (one of ${kpiIds.join(", ")})`, "invalid");
  checkDimension(kpi, target.dimension, project);
  checkRange(kpi, target.value, target.warn);
  return target;
}

function checkDimension(kpi: KpiIdentity, dimension: string, project: ProjectConfig): void {
  const invalid = (message: string) => new TargetError(`${kpi.id}: ${message}`, "invalid");
  if (!dimension) {
    if (kpi.dimension === "model_metric") throw invalid(`set a target per metric, with --dimension MODEL/METRIC`);
    return;
  }
  if (kpi.dimension === null) throw invalid(`has no dimensions; leave the dimension out`);
  const names = kpi.dimension === "dataset" ? project.datasets : project.models;
  const known =
    kpi.dimension === "model_metric"
      ? names.some((model) => dimension.startsWith(`${model}/`) && dimension.length > model.length + 1)
      : names.includes(dimension);
  if (!known) {
    const expected = kpi.dimension === "model_metric" ? "MODEL/METRIC with one of the project's models" : `one of the project's ${kpi.dimension}s`;
    throw invalid(`dimension "${dimension}" must be ${expected} (${names.join(", ") || "none configured"})`);
  }
}

/**
 * What a target can mean in each unit: a value past these is a typo (1e308 was accepted), not a
 * goal. Ratios are model metrics, which may be negative (R², a negated loss).
 */
const UNIT_RANGES: Record<Unit, { min: number; max: number; why: string }> = {
  percent: { min: 0, max: 100, why: "a percentage" },
  per_day: { min: 0, max: 86_400, why: "once a second, all day" },
  hours: { min: 0, max: 87_600, why: "ten years" },
  count: { min: 0, max: 1_000_000, why: "a million in one window" },
  ratio: { min: -1_000_000, max: 1_000_000, why: "far beyond any model metric" },
};

function checkRange(kpi: KpiIdentity, value: number, warn: number | null | undefined): void {
  const invalid = (message: string) => new TargetError(`${kpi.id}: ${message}`, "invalid");
  const { min, max, why } = UNIT_RANGES[kpi.unit];
  if (kpi.unit === "percent" && (value < min || value > max)) throw invalid("a percentage target must be between 0 and 100");
  if (value < min && min === 0) throw invalid(`a target in ${kpi.unit} cannot be negative`);
  if (value < min || value > max) throw invalid(`a target in ${kpi.unit} must be ${min === 0 ? "at most" : `between ${min} and`} ${max} (${why})`);
  if (warn != null && warn > max - min) throw invalid(`a warn margin in ${kpi.unit} must be at most ${max - min}`);
}

async function latestChange(store: Store, project: string, kpi: string, dimension: string, atInstant: Date) {
  const [row] = await store.rows<{ value: number | null; warn: number | null }>(sql`
    SELECT value, warn FROM ${targetChanges}
    WHERE project = ${project} AND kpi = ${kpi} AND dimension = ${dimension} AND set_at <= ${atInstant.toISOString()}::timestamptz
    ORDER BY set_at DESC, id DESC LIMIT 1`);
  return row ?? null;
}

/**
 * Per KPI and dimension, the latest change for which `inForce` holds; with `elseFirst`, the
 * first change of those that have none (the first change always sets a value).
 */
async function targetsInForceBefore(store: Store, project: string, inForce: SQL, { elseFirst = false } = {}): Promise<Map<string, TargetInForce>> {
  const order = elseFirst
    ? sql`(${inForce}) DESC, CASE WHEN ${inForce} THEN set_at END DESC NULLS LAST, CASE WHEN ${inForce} THEN id END DESC NULLS LAST, set_at, id`
    : sql`set_at DESC, id DESC`;
  const rows = await store.rows<{ kpi: string; dimension: string; value: number | null; warn: number | null }>(sql`
    SELECT DISTINCT ON (kpi, dimension) kpi, dimension, value, warn FROM ${targetChanges}
    WHERE project = ${project} AND ${elseFirst ? sql`true` : inForce}
    ORDER BY kpi, dimension, ${order}`);
  return new Map(
    rows.filter((row) => row.value !== null).map((row) => [targetKey(row.kpi, row.dimension || null), resolved(row.value!, row.warn)]),
  );
}

function resolved(value: number, warn: number | null): TargetInForce {
  return { value, warn: warn ?? defaultWarn(value) };
}
