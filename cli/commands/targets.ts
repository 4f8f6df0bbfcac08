import type { Command } from "commander";
import { print, type CliIo } from "@/cli/io";
import { projectOf } from "@/lib/config/projects";
import { UserError } from "@/lib/errors/user-error";
import { currentTargets, removeTarget, setTarget, targetHistory, type TargetChange } from "@/lib/targets/store";
import { withRuntime } from "@/cli/run";

interface TargetOptions {
  project: string;
  kpi: string;
  dimension?: string;
}

export function registerTargets(program: Command, io: CliIo) {
  const targets = program.command("targets").description("set, remove and list a project's KPI targets, with their history");

  targets
    .command("set")
    .description("set a target for a KPI (and optional dimension); the status is judged against it from now on")
    .requiredOption("--project <slug>", "the project's slug")
    .requiredOption("--kpi <id>", "the KPI id, e.g. deployment_frequency (docs/metrics.md)")
    .option("--dimension <name>", "a dataset, a model, or MODEL/METRIC for model_quality")
    .requiredOption("--value <number>", "the target, in the KPI's unit")
    .option("--warn <number>", "how far from the target still counts as at risk (default: 10 % of the target)")
    .option("--owner <name>", "who answers for the target: a user's email or any name")
    .option("--due <date>", "the date it should be met by, YYYY-MM-DD; the report forecasts the KPI to it")
    .addHelpText("after", "\nA set is the whole target: a margin, owner or due date left out is none (kept in the history).")
    .action((options: TargetOptions & { value: string; warn?: string; owner?: string; due?: string }) =>
      withRuntime(io, async ({ config, store }) => {
        const value = number("--value", options.value);
        const warn = options.warn === undefined ? undefined : number("--warn", options.warn);
        const setBy = io.env.USER || "cli";
        const { owner, due } = options;
        const { changed } = await setTarget(store, config, { project: options.project, kpi: options.kpi, dimension: options.dimension, value, warn, owner, due, setBy });
        const what = `${options.project} ${label(options.kpi, options.dimension ?? null)}`;
        const target = describe({ value, warn: warn ?? null, owner: owner?.trim() ?? null, due: due ?? null });
        print(io, changed ? `${what}: target set to ${target}` : `${what}: already ${target}, nothing changed`);
      }),
    );

  targets
    .command("remove")
    .description("remove a KPI's target (kept in the history)")
    .requiredOption("--project <slug>", "the project's slug")
    .requiredOption("--kpi <id>", "the KPI id")
    .option("--dimension <name>", "the dimension the target was set for")
    .action((options: TargetOptions) =>
      withRuntime(io, async ({ config, store }) => {
        const setBy = io.env.USER || "cli";
        const { changed } = await removeTarget(store, config, { project: options.project, kpi: options.kpi, dimension: options.dimension, setBy });
        const what = `${options.project} ${label(options.kpi, options.dimension ?? null)}`;
        print(io, changed ? `${what}: target removed` : `${what}: had no target, nothing changed`);
      }),
    );

  targets
    .command("list")
    .description("the targets in force now")
    .requiredOption("--project <slug>", "the project's slug")
    .action((options: { project: string }) =>
      withRuntime(io, async ({ config, store }) => {
        projectOf(config, options.project);
        const inForce = (await currentTargets(store, options.project)).entries();
        if (inForce.length === 0) print(io, `${options.project}: no targets set`);
        for (const { kpi, dimension, target } of inForce) print(io, `${label(kpi, dimension)}: ${describe(target)}`);
      }),
    );

  targets
    .command("history")
    .description("every change of the project's targets: when, who, from what to what")
    .requiredOption("--project <slug>", "the project's slug")
    .action((options: { project: string }) =>
      withRuntime(io, async ({ config, store }) => {
        projectOf(config, options.project);
        const changes = await targetHistory(store, options.project);
        if (changes.length === 0) print(io, `${options.project}: no target was ever set`);
        for (const change of changes) print(io, historyLine(change));
      }),
    );
}

function number(flag: string, text: string): number {
  const value = Number(text);
  if (text.trim() === "" || !Number.isFinite(value)) throw new UserError(`${flag} must be a number, not "${text}"`, "invalid");
  return value;
}

function label(kpi: string, dimension: string | null): string {
  return dimension ? `${kpi} [${dimension}]` : kpi;
}

function describe(target: { value: number; warn: number | null; owner?: string | null; due?: string | null }): string {
  const owner = target.owner ? `, owner ${target.owner}` : "";
  const due = target.due ? `, due ${target.due}` : "";
  return `${target.value} (warn ${target.warn ?? "10 % of the target"})${owner}${due}`;
}

function historyLine(change: TargetChange): string {
  const before = change.old ? describe(change.old) : "no target";
  const after = change.new ? describe(change.new) : "no target";
  return `${change.setAt}  ${change.setBy}  ${label(change.kpi, change.dimension)}: ${before} -> ${after}`;
}
