/**
 * A target request checked against the contract and the configuration: its shape, the
 * project, the KPI, the dimension the KPI has, and a value its unit can mean. Every problem is
 * an `invalid` UserError (an unknown project: `not_found`) saying what is wrong.
 */
import { z } from "zod";
import { targetInput } from "@/db/schema";
import { projectOf } from "@/lib/config/projects";
import type { Config, ProjectConfig } from "@/lib/config/load";
import { invalidInput, UserError } from "@/lib/errors/user-error";
import { findKpiIdentity, kpiIds, type KpiIdentity } from "@/lib/kpis/ids";
import type { Unit } from "@/lib/kpis/kpi";

export type TargetRequest = z.input<typeof targetInput>;
export type ValidTarget = z.output<typeof targetInput>;

/** A target as the HTTP API takes it (the project comes from the URL, who from the session). */
export const targetBody = z.strictObject({
  kpi: z.string(),
  dimension: z.string().optional(),
  value: z.number(),
  warn: z.number().optional(),
  owner: z.string().optional().meta({ description: "Who answers for the target: a user's email or any name (one line, at most 120 characters)" }),
  due: z.string().optional().meta({ description: "The date the target should be met by, YYYY-MM-DD; the report forecasts the KPI to it" }),
});

/** Which target to remove, from a query string or body. */
export const targetSelector = z.strictObject({ kpi: z.string(), dimension: z.string().optional() });

/** The request checked against the contract and the configuration: shape, project, KPI, dimension, unit. */
export function validateTarget(config: Config, request: TargetRequest): ValidTarget {
  const parsed = targetInput.safeParse(request);
  if (!parsed.success) throw invalidInput(parsed.error);
  const target = { ...parsed.data, dimension: parsed.data.dimension.trim() };
  const project = projectOf(config, target.project);
  const kpi = findKpiIdentity(target.kpi);
  if (!kpi) throw new UserError(`unknown KPI "${target.kpi}" (one of ${kpiIds.join(", ")})`, "invalid");
  checkDimension(kpi, target.dimension, project);
  checkRange(kpi, target.value, target.warn);
  return target;
}

function checkDimension(kpi: KpiIdentity, dimension: string, project: ProjectConfig): void {
  const invalid = (message: string) => new UserError(`${kpi.id}: ${message}`, "invalid");
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
  const invalid = (message: string) => new UserError(`${kpi.id}: ${message}`, "invalid");
  const { min, max, why } = UNIT_RANGES[kpi.unit];
  if (kpi.unit === "percent" && (value < min || value > max)) throw invalid("a percentage target must be between 0 and 100");
  if (value < min && min === 0) throw invalid(`a target in ${kpi.unit} cannot be negative`);
  if (value < min || value > max) throw invalid(`a target in ${kpi.unit} must be ${min === 0 ? "at most" : `between ${min} and`} ${max} (${why})`);
  if (warn != null && warn > max - min) throw invalid(`a warn margin in ${kpi.unit} must be at most ${max - min}`);
}
