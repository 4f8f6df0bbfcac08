import type { Command } from "commander";
import { previewDigest } from "@/lib/digest/preview";
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

export function registerDigest(program: Command) {
  program
    .command("digest")
    .description("the weekly email summary of a project: print it, or mail it to the project's subscribers with --send")
    .requiredOption("--project <slug>", "the project's slug")
    .option("--week <date>", "a date in the week to summarise, YYYY-MM-DD (default: last week)")
    .option("--send", "mail it to the subscribers who have not had this week's summary yet")
    .option("--force", "with --send: mail it again to those who have had it")
    .option("--html", "print the HTML part instead of the subject and plain-text part")
    .action((options: DigestOptions) =>
      withRuntime(async ({ config, store }) => {
        if (options.force && !options.send) throw new UserError("--force only goes with --send", "invalid");
        const preview = await previewDigest(store, config, { project: options.project, week: options.week });
        console.log(options.html ? preview.html : `Subject: ${preview.subject}\n\n${preview.text}`);
        if (!options.send) return;
        const result = await sendWeeklyDigest(store, config, {
          project: options.project,
          week: options.week,
          force: options.force,
          log: (line) => console.error(`shipshape: ${line}`),
        });
        console.log(`week of ${result.week}: sent ${result.sent.length}, had it already ${result.skipped.length}, failed ${result.failed.length}`);
        for (const email of result.sent) console.log(`sent: ${email}`);
        for (const { email, error } of result.failed) console.log(`failed: ${email}: ${error}`);
        if (result.sent.length + result.skipped.length + result.failed.length === 0) console.log(`${result.project} has no subscribers (shipshape subscribe --project ${result.project} --email ADDR)`);
        if (result.failed.length === 0) return 0;
        console.error(`shipshape: ${result.failed.length} of the week's emails failed; run again to retry them`);
        return 1;
      }),
    );
}
