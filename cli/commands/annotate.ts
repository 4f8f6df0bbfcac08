import type { Command } from "commander";
import { print, type CliIo } from "@/cli/io";
import { addNote, ANNOTATION_MAX_LENGTH } from "@/lib/annotations/store";
import { withRuntime } from "@/cli/run";

export function registerAnnotate(program: Command, io: CliIo) {
  program
    .command("annotate")
    .description("put a note on a project's trend charts (the project page, the KPI page, the weekly email), e.g. \"moved to the new cluster\"")
    .requiredOption("--project <slug>", "the project's slug")
    .requiredOption("--at <date>", "the day it happened, YYYY-MM-DD (in the project's time zone)")
    .requiredOption("--text <text>", `what happened, one line of at most ${ANNOTATION_MAX_LENGTH} characters`)
    .option("--kpi <id>", "only on this KPI's chart (default: every chart of the project)")
    .addHelpText("after", "\nThe same note (project, KPI, day, text) added twice is stored once.\nExample: shipshape annotate --project fraud-detection --at 2026-10-12 --text \"moved to the new cluster\"")
    .action((options: { project: string; at: string; text: string; kpi?: string }) =>
      withRuntime(io, async ({ config, store }) => {
        const createdBy = io.env.USER || "cli";
        const { annotation, created } = await addNote(store, config, { project: options.project, kpi: options.kpi ?? null, at: options.at, text: options.text, createdBy });
        const where = `${annotation.project}${annotation.kpi ? ` ${annotation.kpi}` : ""} on ${annotation.at}`;
        print(io, created ? `${where}: note added: ${annotation.text}` : `${where}: this note is already there, nothing changed`);
      }),
    );
}
