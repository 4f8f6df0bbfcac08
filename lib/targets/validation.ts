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

export type TargetRequest = z.input<typeof targetInput>;
export type ValidTarget = z.output<typeof targetInput>;

/** A target as the HTTP API takes it (the project comes from the URL, who from the session). */
export const targetBody = z.strictObject({
  kpi: z.string(),
  dimension: z.string().optional(),
  value: z.number(),
  warn: z.number().optional(),
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
  checkRange(kpi, target.value);
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

function checkRange(kpi: KpiIdentity, value: number): void {
  if (kpi.unit === "percent" && (value < 0 || value > 100)) throw new UserError(`${kpi.id}: a percentage target must be between 0 and 100`, "invalid");
  if (kpi.unit !== "percent" && kpi.unit !== "ratio" && value < 0) {
    throw new UserError(`${kpi.id}: a target in ${kpi.unit} cannot be negative`, "invalid");
  }
}
