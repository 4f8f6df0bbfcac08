/**
 * The weekly summary in Slack, against a local server that answers like Slack's incoming
 * webhooks: the blocks read right (rendered to text), the numbers are the summary's, it posts
 * once per project and week across repeated sends, 429 Retry-After is waited for and retried,
 * invalid_blocks and the other refusals fail with one line the sources page shows, and a
 * message that would break Block Kit's limits is not sent at all.
 */
import { TZDate } from "@date-fns/tz";
import { format } from "date-fns";
import { afterEach, describe, expect, it } from "vitest";
import { openStore, type Store } from "@/db/client";
import { WeeklyDigests, weeklySchedule } from "@/lib/scheduler/weekly-digest";
import { digestDeliveryStatus } from "@/lib/digest/delivery-status";
import { blockKitProblems, postWeeklySlack, slackMessage, slackTarget, SLACK_RECIPIENT } from "@/lib/digest/slack";
import { digestLinks } from "@/lib/digest/links";
import { digestWeek, weeklySummary } from "@/lib/digest/summary";
import { setTarget } from "@/lib/targets/store";
import { describeEachDriver } from "@/test/support/db";
import { CONFIG_YAML, testConfig } from "@/test/support/config";
import { seedTwoWeeks } from "./support";
import { blocksText, startSlackServer, type Block, type SlackServer } from "./slack-server";

const FAST = { attempts: 3, baseDelayMs: 10, maxRetryAfterMs: 2_000 };
const WEEK = "2026-03-09";
const slackConfig = (url: string) => testConfig(`${CONFIG_YAML}slack:\n  webhook_url: ${url}\n`);

let slack: SlackServer | undefined;
afterEach(async () => {
  await slack?.close();
  slack = undefined;
});

describeEachDriver("the weekly summary in Slack", (store) => {
  it("posts Block Kit that reads right — headline numbers, targets missed, movers, the project link — once per project and week", async () => {
    slack = await startSlackServer();
    const config = slackConfig(slack.url);
    await seedTwoWeeks(store());
    await setTarget(store(), config, { project: "fraud", kpi: "deployment_frequency", value: 2, setBy: "po" }, new Date("2026-03-01T00:00:00Z"));

    const first = await postWeeklySlack(store(), config, { project: "fraud", week: "2026-03-12", retry: FAST });
    expect(first).toEqual({ project: "fraud", week: WEEK, outcome: "sent", attempts: 1 });
    const again = await postWeeklySlack(store(), config, { project: "fraud", week: "2026-03-15", retry: FAST });
    expect(again).toEqual({ project: "fraud", week: WEEK, outcome: "skipped", attempts: 0 });
    expect(slack.posts).toBe(1);

    const [message] = slack.accepted;
    expect(message!.text).toBe("Fraud detection: 1 of 1 KPIs missed — deployment frequency down 50%");
    const text = blocksText(message!.blocks!);
    expect(text.split("\n").slice(0, 3)).toEqual([
      "Fraud detection: the week of 2026-03-09",
      "Monday 2026-03-09 to Sunday 2026-03-15 (UTC), compared with the week before.",
      "*1 KPI has a target: 0 met, 0 at risk, 1 missed.*",
    ]);
    // The five DORA KPIs as fields: 1/day (down 50 %) against the target of 2.
    expect(text).toContain("*Deployment frequency*\n1 / day (down 50%)\ntarget 2 / day: missed");
    expect(text).toContain("*Change failure rate*\n0 %");
    expect(text).toContain("*Targets missed*\n• Deployment frequency: 1 / day against a target of 2 / day");
    expect(text).toContain("*What changed most*\nWorst: Deployment frequency down 50% (2 / day → 1 / day)");
    expect(text).toContain("<http://localhost:3000/projects/fraud?from=2026-03-09&to=2026-03-15|Open Fraud detection in Shipshape>");

    // --force posts again; another project has its own week.
    expect(await postWeeklySlack(store(), config, { project: "fraud", week: WEEK, force: true, retry: FAST })).toMatchObject({ outcome: "sent" });
    expect(await postWeeklySlack(store(), config, { project: "churn", week: WEEK, retry: FAST })).toMatchObject({ outcome: "sent" });
    expect(slack.posts).toBe(3);
  });

  it("waits for Retry-After on 429 and posts; 500s are retried too", async () => {
    slack = await startSlackServer();
    slack.queue({ status: 429, body: "rate_limited", headers: { "retry-after": "1" } }, { status: 500, body: "rollup_error" });
    const started = Date.now();
    const result = await postWeeklySlack(store(), slackConfig(slack.url), { project: "fraud", week: WEEK, retry: FAST });
    expect(result).toEqual({ project: "fraud", week: WEEK, outcome: "sent", attempts: 3 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_000);
    expect(slack.accepted).toHaveLength(1);
  });

  it("fails the week with one line on invalid_blocks (and the other refusals), shown on the sources page; a later send tries again", async () => {
    slack = await startSlackServer();
    const config = slackConfig(slack.url);
    slack.queue({ status: 400, body: "invalid_blocks" });
    const refused = await postWeeklySlack(store(), config, { project: "fraud", week: WEEK, retry: FAST });
    expect(refused).toEqual({ project: "fraud", week: WEEK, outcome: "failed", attempts: 1, error: "Slack refused the summary: 400 invalid_blocks" });
    expect(slack.posts).toBe(1);
    const [status] = await digestDeliveryStatus(store());
    expect(status).toMatchObject({ project: "fraud", week: WEEK, failed: 1, failures: [{ email: SLACK_RECIPIENT, attempts: 1, error: "Slack refused the summary: 400 invalid_blocks" }] });

    slack.queue({ status: 410, body: "channel_is_archived" });
    expect(await postWeeklySlack(store(), config, { project: "fraud", week: WEEK, retry: FAST })).toMatchObject({ outcome: "failed", error: "Slack refused the summary: 410 channel_is_archived" });
    // A failed week is not "had it": the next send posts it.
    expect(await postWeeklySlack(store(), config, { project: "fraud", week: WEEK, retry: FAST })).toMatchObject({ outcome: "sent" });

    const wrongHook = testConfig(`${CONFIG_YAML}slack:\n  webhook_url: ${new URL(slack.url).origin}/services/nope\n`);
    expect(await postWeeklySlack(store(), wrongHook, { project: "churn", week: WEEK, retry: FAST })).toMatchObject({ outcome: "failed", error: "Slack refused the summary: 404 no_service" });
  });

  it("keeps within Block Kit's limits with many targets missed, and refuses to send a message that breaks them", async () => {
    slack = await startSlackServer();
    const config = slackConfig(slack.url);
    await seedTwoWeeks(store());
    for (const kpi of ["deployment_frequency", "releases", "bug_fixes", "features_shipped", "model_iterations_shipped"]) {
      await setTarget(store(), config, { project: "fraud", kpi, value: 1000, setBy: "po" }, new Date("2026-03-01T00:00:00Z"));
    }
    const summary = await weeklySummary(store(), config, { project: "fraud", week: WEEK });
    const message = slackMessage(summary, digestLinks("https://kpi.acme.example", summary));
    expect(blockKitProblems(message)).toEqual([]);
    expect(blocksText(JSON.parse(JSON.stringify(message.blocks)) as Block[])).toContain("*Targets missed*\n• Deployment frequency");

    const oversized = { text: "x", blocks: [...Array.from({ length: 51 }, () => ({ type: "divider" as const })), { type: "section" as const, text: { type: "mrkdwn" as const, text: "y".repeat(3001) } }] };
    expect(blockKitProblems(oversized)).toEqual(["52 blocks (at most 50)", "block 52 (section): text of 3001 characters (at most 3000)"]);
  });
});

describeEachDriver("the weekly Slack post on its schedule", (store, driver) => {
  it("posts last week once per project when two servers start together, and nothing at a restart", async () => {
    slack = await startSlackServer();
    // The latest tick of slack.weekly was today at 00:00 UTC: a start catches up on it.
    const day = format(new TZDate(Date.now(), "UTC"), "EEEE").toLowerCase();
    const config = testConfig(`${CONFIG_YAML}slack:\n  webhook_url: ${slack.url}\n  weekly: { day: ${day}, time: "00:00" }\n`);
    const runOnce = async (on: Store, serverId: string) => {
      const log: string[] = [];
      const digests = new WeeklyDigests({ config, store: on, serverId, slackRetry: FAST, log: (line) => log.push(line) });
      digests.start();
      await digests.idle();
      await digests.stop();
      return log;
    };
    const other = driver === "postgres" ? await openStore({ databaseUrl: store().location.replace(":***@", "@") }) : store();
    try {
      // Each project's latest tick is in its own zone (New York's Wednesday 00:00 may be a week back).
      const weekOf = (timezone: string) => digestWeek(timezone, weeklySchedule({ day: day as "monday", time: "00:00" }, timezone).previousRuns(1, new Date())[0]!);
      const logs = (await Promise.all([runOnce(store(), "one"), runOnce(other, "two")])).flat();
      expect(logs.filter((line) => line.includes("posted")).sort()).toEqual([
        `weekly Slack post: churn, week of ${weekOf("America/New_York")}: posted (catch-up)`,
        `weekly Slack post: fraud, week of ${weekOf("UTC")}: posted (catch-up)`,
      ]);
      expect(slack.accepted.map((message) => message.blocks![0]!.text!.text).sort()).toEqual([
        `Churn: the week of ${weekOf("America/New_York")}`,
        `Fraud detection: the week of ${weekOf("UTC")}`,
      ]);
      expect(await runOnce(store(), "three")).toEqual([]);
      expect(slack.posts).toBe(2);
    } finally {
      if (other !== store()) await other.close();
    }
  });
});

describe("which webhook a project posts to", () => {
  it("its own slack: block, else the file's; its weekly time falls back to the file's, else Monday 09:00", () => {
    const config = testConfig(`${CONFIG_YAML.replace("    datasets: [events]", "    datasets: [events]\n    slack: { webhook_url: https://hooks.slack.example/churn }")}slack:\n  webhook_url: https://hooks.slack.example/all\n  weekly: { day: friday, time: "16:00" }\n`);
    const [fraud, churn] = config.projects;
    expect(slackTarget(config, fraud!)).toEqual({ webhookUrl: "https://hooks.slack.example/all", weekly: { day: "friday", time: "16:00" } });
    expect(slackTarget(config, churn!)).toEqual({ webhookUrl: "https://hooks.slack.example/churn", weekly: { day: "friday", time: "16:00" } });
    expect(slackTarget(testConfig(), fraud!)).toBeNull();
  });

  it("refuses a webhook that is not a URL, with the line", () => {
    expect(() => testConfig(`${CONFIG_YAML}slack:\n  webhook_url: hooks.slack.com/x\n`)).toThrow(/^test\.yaml:\d+:\d+: slack\.webhook_url must be an http\(s\) URL \(a Slack incoming webhook\)$/);
  });
});
