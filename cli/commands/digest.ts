import type { Command } from "commander";
import { print, warn, type CliIo } from "@/cli/io";
import { previewDigest } from "@/lib/digest/preview";
import type { Config } from "@/lib/config/load";
import { projectOf } from "@/lib/config/projects";
import { postWeeklySlack, slackTarget } from "@/lib/digest/slack";
import { sendWeeklyDigest } from "@/lib/digest/send";
import { UserError } from "@/lib/errors/user-error";
import { withRuntime } from "@/cli/run";

interface DigestOptions {
  project: string;
  week?: string;
  send?: boolean;
  force?: boolean;
  html?: boolean;
}

export function registerDigest(program: Command, io: CliIo) {
  program
    .command("digest")
    .description("the weekly email summary of a project: print it, or mail it to the project's subscribers (and post it to its Slack webhook) with --send")
    .requiredOption("--project <slug>", "the project's slug")
    .option("--week <date>", "a date in the week to summarise, YYYY-MM-DD (default: last week)")
    .option("--send", "mail it to the subscribers who have not had this week's summary yet")
    .option("--force", "with --send: mail it again to those who have had it")
    .option("--html", "print the HTML part instead of the subject and plain-text part")
    .action((options: DigestOptions) =>
      withRuntime(io, async ({ config, store }) => {
        if (options.force && !options.send) throw new UserError("--force only goes with --send", "invalid");
        const preview = await previewDigest(store, config, { project: options.project, week: options.week });
        print(io, options.html ? preview.html : `Subject: ${preview.subject}\n\n${preview.text}`);
        if (!options.send) return;
        const log = (line: string) => warn(io, `shipshape: ${line}`);
        // Slack alone (no email: block) still posts; email alone, as before.
        const result = config.email || !hasSlack(config, options.project)
          ? await sendWeeklyDigest(store, config, { project: options.project, week: options.week, force: options.force, log })
          : null;
        if (result) {
          print(io, `week of ${result.week}: sent ${result.sent.length}, had it already ${result.skipped.length}, failed ${result.failed.length}`);
          for (const email of result.sent) print(io, `sent: ${email}`);
          for (const { email, error } of result.failed) print(io, `failed: ${email}: ${error}`);
          if (result.sent.length + result.skipped.length + result.failed.length === 0) print(io, `${result.project} has no subscribers (shipshape subscribe --project ${result.project} --email ADDR)`);
        }
        const slack = await postWeeklySlack(store, config, { project: options.project, week: options.week, force: options.force, log });
        if (slack) print(io, `slack: ${slack.outcome === "failed" ? `failed: ${slack.error}` : slack.outcome === "sent" ? "posted" : "had it already"}`);
        let failed = false;
        if (result?.failed.length) {
          warn(io, `shipshape: ${result.failed.length} of the week's emails failed; run again to retry them`);
          failed = true;
        }
        if (slack?.outcome === "failed") {
          warn(io, `shipshape: the week's Slack post failed: ${slack.error}`);
          failed = true;
        }
        return failed ? 1 : 0;
      }),
    );
}

function hasSlack(config: Config, slug: string): boolean {
  return slackTarget(config, projectOf(config, slug)) !== null;
}
