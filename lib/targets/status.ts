/**
 * The status rule (kpis.md, "Targets and status"): a value against the target in force, in the
 * KPI's direction, with a warn margin (by default 10 % of the target).
 */
import type { Direction } from "@/lib/kpis/kpi";

export type Status = "met" | "at_risk" | "missed" | "no_target" | "no_data";

export interface Target {
  value: number;
  /** The margin in the KPI's unit; absent or null means the default, 10 % of the target. */
  warn?: number | null;
}

/** A target as a report shows it: the margin resolved; `owner` and `due` only when set. */
export interface TargetInForce {
  value: number;
  warn: number;
  /** Who answers for the target: a user's email or any name. */
  owner?: string;
  /** The date the target should be met by, YYYY-MM-DD; a forecast projects the KPI to it. */
  due?: string;
}

/** The default margin is 10 % of the target; dividing by 10 gives 2.4 for 24, where × 0.1 gives 2.4000000000000004. */
const DEFAULT_WARN_DIVISOR = 10;

/** Comparisons at the exact target or margin must not fail on float noise (0.3 − 0.1 × 0.3). */
const EPSILON = 1e-9;

export function defaultWarn(target: number): number {
  return Math.abs(target) / DEFAULT_WARN_DIVISOR;
}

/** A stored target with its margin resolved (and its owner and due date when it has them). */
export function resolved(value: number, warn: number | null, owner: string | null = null, due: string | null = null): TargetInForce {
  return { value, warn: warn ?? defaultWarn(value), ...(owner === null ? {} : { owner }), ...(due === null ? {} : { due }) };
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
