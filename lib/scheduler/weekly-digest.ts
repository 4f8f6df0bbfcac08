/**
 * The weekly email (and the Slack post, on `slack.weekly`) on its schedule: `email.weekly` (day and time) read in each project's own
 * zone, so Berlin gets it at 08:00 Berlin time and New York at 08:00 New York time, DST or not
 * (croner's timezone option). At each tick the week before the tick's week is sent.
 *
 * Servers sharing a database all fire; each tries to claim (digest:<slug>, the week) in
 * schedule_claims and only the one whose claim lands starts the send. Exactly one email per
 * subscriber does not rest on that claim but on the send's own per-email rows (lib/digest/send.ts).
 * At start a server catches up on the latest tick: a week nobody claimed is sent in full; a
 * claimed week gets only its unfinished emails (those a stopped server left or that failed).
 */
import { Cron } from "croner";
import type { Transporter } from "nodemailer";
import type { Store } from "@/db/client";
import type { Config, ProjectConfig } from "@/lib/config/load";
import type { EmailConfig } from "@/lib/config/schema";
import { sendWeeklyDigest, type RetryPolicy, type SendResult } from "@/lib/digest/send";
import { postWeeklySlack, slackTarget, type SlackRetryPolicy } from "@/lib/digest/slack";
import { digestWeek } from "@/lib/digest/summary";
import { startOfLocalDay } from "@/lib/time/window";
import { claimTick } from "./claims";
import { InFlight, thisServer } from "./in-flight";

const DAY_NUMBERS: Record<EmailConfig["weekly"]["day"], number> = { sunday: 0, monday: 1, tuesday: 2, wednesday: 3, thursday: 4, friday: 5, saturday: 6 };

/** `{day: monday, time: "08:00"}` → "0 8 * * 1". */
export function weeklyPattern(weekly: EmailConfig["weekly"]): string {
  const [hour, minute] = weekly.time.split(":").map(Number) as [number, number];
  return `${minute} ${hour} * * ${DAY_NUMBERS[weekly.day]}`;
}

/** The cron schedule of a project's weekly email, in the project's zone. */
export function weeklySchedule(weekly: EmailConfig["weekly"], timezone: string): Cron {
  return new Cron(weeklyPattern(weekly), { timezone });
}

export interface WeeklyDigestOptions {
  config: Config;
  store: Store;
  log?: (line: string) => void;
  serverId?: string;
  /** For tests: a transport and a quick retry policy. */
  transport?: Transporter;
  retry?: RetryPolicy;
  slackRetry?: SlackRetryPolicy;
}

export class WeeklyDigests {
  private readonly crons: Cron[] = [];
  private readonly inFlight = new InFlight();
  private readonly log: (line: string) => void;
  private readonly serverId: string;

  constructor(private readonly options: WeeklyDigestOptions) {
    this.log = options.log ?? ((line) => console.log(`shipshape: ${line}`));
    this.serverId = options.serverId ?? thisServer();
  }

  /** Catches up on each project's latest tick, then fires at every next one. */
  start(): void {
    const { config } = this.options;
    const now = new Date();
    for (const project of config.projects) {
      if (config.email) this.schedule(project, config.email.weekly, now, (tick, why) => this.runTick(project, tick, why));
      const slack = slackTarget(config, project);
      if (slack) this.schedule(project, slack.weekly, now, (tick, why) => this.runSlack(project, tick, why));
    }
  }

  /** Catches up on the latest tick of `weekly` in the project's zone, then fires at every next one. */
  private schedule(project: ProjectConfig, weekly: EmailConfig["weekly"], now: Date, run: (tick: Date, why: "schedule" | "catch-up") => Promise<void>) {
    const latest = weeklySchedule(weekly, project.timezone).previousRuns(1, now)[0];
    if (latest) this.inFlight.track(run(latest, "catch-up"));
    this.crons.push(new Cron(weeklyPattern(weekly), { timezone: project.timezone, protect: true }, () => this.inFlight.track(run(new Date(), "schedule"))));
  }

  /**
   * The week's Slack post. No tick claim is needed: the post's own row (digest_sends, recipient
   * slack) under the project's lock lets one server post it, and a catch-up retries a failed one.
   */
  private async runSlack(project: ProjectConfig, tick: Date, why: "schedule" | "catch-up"): Promise<void> {
    const week = digestWeek(project.timezone, tick);
    try {
      const result = await postWeeklySlack(this.options.store, this.options.config, { project: project.slug, week, serverId: this.serverId, retry: this.options.slackRetry, log: this.log });
      if (result?.outcome === "sent") this.log(`weekly Slack post: ${project.slug}, week of ${result.week}: posted (${why})`);
      if (result?.outcome === "failed") this.log(`weekly Slack post: ${project.slug}, week of ${result.week}: failed: ${result.error} (${why})`);
    } catch (error) {
      this.log(`weekly Slack post: ${project.slug}, week of ${week}: could not post: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  async stop(graceMs = 5_000): Promise<void> {
    for (const cron of this.crons) cron.stop();
    await this.inFlight.settle(graceMs);
  }

  /** Resolves when no send started here is under way (for tests and shutdown). */
  async idle(): Promise<void> {
    await this.inFlight.idle();
  }

  private async runTick(project: ProjectConfig, tick: Date, why: "schedule" | "catch-up"): Promise<void> {
    const week = digestWeek(project.timezone, tick);
    try {
      const claimed = await claimTick(this.options.store, `digest:${project.slug}`, new Date(startOfLocalDay(week, project.timezone)), this.serverId);
      // A claimed week at a scheduled tick is another server's send; at a start, it may be one a stopped server left unfinished.
      if (!claimed && why === "schedule") return;
      const result = await sendWeeklyDigest(this.options.store, this.options.config, {
        project: project.slug,
        week,
        unfinishedOnly: !claimed,
        serverId: this.serverId,
        transport: this.options.transport,
        retry: this.options.retry,
        log: this.log,
      });
      if (claimed || result.sent.length || result.failed.length) this.log(`weekly email: ${describe(result)} (${why})`);
    } catch (error) {
      this.log(`weekly email: ${project.slug}, week of ${week}: could not send: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

}

function describe(result: SendResult): string {
  const failed = result.failed.length ? `, failed ${result.failed.map((f) => `${f.email} (${f.error})`).join("; ")}` : "";
  return `${result.project}, week of ${result.week}: sent ${result.sent.length}, had it already ${result.skipped.length}${failed}`;
}
