/**
 * Targets a product owner sets per project, KPI and optional dimension, with their history
 * (kpis.md, "Targets and status"). Every change is a row of target_changes; the target in force
 * at an instant is the latest row at or before it, and a removal is a row with value null, so
 * a report for a past window is judged against the target of that time — and a window that
 * ended before the first target was set against that first target, so a new target shows a
 * status at once (the default window ends yesterday).
 */
import { sql, type SQL } from "drizzle-orm";
import type { Store } from "@/db/client";
import { targetChanges } from "@/db/schema";
import type { Config } from "@/lib/config/load";
import { isoInstant } from "@/lib/kpis/sql/fragments";
import type { ReportWindow } from "@/lib/time/window";
import { resolved, type TargetInForce } from "./status";
import { validateTarget, type TargetRequest } from "./validation";

export interface TargetChange {
  kpi: string;
  /** Null for the project entry. */
  dimension: string | null;
  setAt: string;
  setBy: string;
  /** Before and after the change; null when there was no target / the target was removed. */
  old: StoredTarget | null;
  new: StoredTarget | null;
}

/** A target as a change row stores it: the margin, owner and due date null when not given. */
export interface StoredTarget {
  value: number;
  warn: number | null;
  owner: string | null;
  /** YYYY-MM-DD. */
  due: string | null;
}

/** One target in force: its KPI, its dimension (null: the project entry) and the target. */
export interface TargetEntry {
  kpi: string;
  dimension: string | null;
  target: TargetInForce;
}

/** The targets of a project in force at one instant, looked up by KPI and dimension. */
export class TargetsInForce {
  private readonly byKpi = new Map<string, Map<string | null, TargetInForce>>();

  constructor(entries: Iterable<TargetEntry> = []) {
    for (const { kpi, dimension, target } of entries) {
      const dimensions = this.byKpi.get(kpi) ?? this.byKpi.set(kpi, new Map()).get(kpi)!;
      dimensions.set(dimension, target);
    }
  }

  /** The target of a KPI's project entry (dimension null) or of one dimension; null when none is set. */
  get(kpi: string, dimension: string | null): TargetInForce | null {
    return this.byKpi.get(kpi)?.get(dimension) ?? null;
  }

  /** Every target, grouped by KPI in the order they were read. */
  entries(): TargetEntry[] {
    return [...this.byKpi].flatMap(([kpi, dimensions]) => [...dimensions].map(([dimension, target]) => ({ kpi, dimension, target })));
  }

  get size(): number {
    return this.entries().length;
  }
}

/**
 * Records a new target (or a changed margin, owner or due date). A request is the whole target:
 * a margin, owner or due date left out is none (the default margin), as with `warn` before.
 * Setting exactly the target already in force — value, margin, owner and due date — records
 * nothing, so re-running a `targets set` is harmless. Returns whether a change was made.
 */
export async function setTarget(store: Store, config: Config, request: TargetRequest, now = new Date()): Promise<{ changed: boolean }> {
  const target = validateTarget(config, request);
  const next = { warn: target.warn ?? null, owner: target.owner ?? null, due: target.due ?? null };
  const current = await latestChange(store, target.project, target.kpi, target.dimension, now);
  const same = current && current.value === target.value && current.warn === next.warn && current.owner === next.owner && current.due === next.due;
  if (same) return { changed: false };
  await store.db.insert(targetChanges).values({ ...target, ...next, setAt: now.toISOString() });
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
  await store.db.insert(targetChanges).values({ ...target, value: null, warn: null, owner: null, due: null, setAt: now.toISOString() });
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
  return change && change.value !== null ? resolved(change.value, change.warn, change.owner, change.due) : null;
}

/**
 * Every target a report window is judged against: the one in force at the window's end (its
 * last instant; a change made at the next local midnight already belongs to the next window),
 * or — for a KPI and dimension whose first target was set after the window ended — that first
 * target. Later changes never reach back: only the first one does.
 */
export async function targetsAtWindowEnd(store: Store, project: string, window: ReportWindow): Promise<TargetsInForce> {
  return targetsInForceBefore(store, project, sql`set_at < ${window.end}::timestamptz`, { elseFirst: true });
}

/** Every target of a project in force now (or at `atInstant`). */
export async function currentTargets(store: Store, project: string, atInstant: Date = new Date()): Promise<TargetsInForce> {
  return targetsInForceBefore(store, project, sql`set_at <= ${atInstant.toISOString()}::timestamptz`);
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
    owner: string | null;
    due: string | null;
    old_value: number | null;
    old_warn: number | null;
    old_owner: string | null;
    old_due: string | null;
  }>(sql`
    SELECT kpi, dimension, ${isoInstant(sql`set_at`)} AS set_at, set_by, value, warn, owner, due::text AS due,
           lag(value) OVER same_target AS old_value, lag(warn) OVER same_target AS old_warn,
           lag(owner) OVER same_target AS old_owner, lag(due::text) OVER same_target AS old_due
    FROM ${targetChanges}
    WHERE project = ${project}
    WINDOW same_target AS (PARTITION BY kpi, dimension ORDER BY set_at, id)
    ORDER BY set_at, id`);
  return rows.map((row) => ({
    kpi: row.kpi,
    dimension: row.dimension || null,
    setAt: row.set_at,
    setBy: row.set_by,
    old: row.old_value === null ? null : { value: row.old_value, warn: row.old_warn, owner: row.old_owner, due: row.old_due },
    new: row.value === null ? null : { value: row.value, warn: row.warn, owner: row.owner, due: row.due },
  }));
}

async function latestChange(store: Store, project: string, kpi: string, dimension: string, atInstant: Date) {
  const [row] = await store.rows<{ value: number | null; warn: number | null; owner: string | null; due: string | null }>(sql`
    SELECT value, warn, owner, due::text AS due FROM ${targetChanges}
    WHERE project = ${project} AND kpi = ${kpi} AND dimension = ${dimension} AND set_at <= ${atInstant.toISOString()}::timestamptz
    ORDER BY set_at DESC, id DESC LIMIT 1`);
  return row ?? null;
}

/**
 * Per KPI and dimension, the latest change for which `inForce` holds; with `elseFirst`, the
 * first change of those that have none (the first change always sets a value). The stored
 * dimension "" is the project entry (the column is part of the key, so it is never null).
 */
async function targetsInForceBefore(store: Store, project: string, inForce: SQL, { elseFirst = false } = {}): Promise<TargetsInForce> {
  const order = elseFirst
    ? sql`(${inForce}) DESC, CASE WHEN ${inForce} THEN set_at END DESC NULLS LAST, CASE WHEN ${inForce} THEN id END DESC NULLS LAST, set_at, id`
    : sql`set_at DESC, id DESC`;
  const rows = await store.rows<{ kpi: string; dimension: string; value: number | null; warn: number | null; owner: string | null; due: string | null }>(sql`
    SELECT DISTINCT ON (kpi, dimension) kpi, dimension, value, warn, owner, due::text AS due FROM ${targetChanges}
    WHERE project = ${project} AND ${elseFirst ? sql`true` : inForce}
    ORDER BY kpi, dimension, ${order}`);
  return new TargetsInForce(
    rows.flatMap((row) => (row.value === null ? [] : [{ kpi: row.kpi, dimension: row.dimension || null, target: resolved(row.value, row.warn, row.owner, row.due) }])),
  );
}
