/** The configuration file's contract (../shared/spec/inputs.md) as zod schemas. */
import { z } from "zod";
import { scheduleProblem } from "@/lib/scheduler/cron";
import { isTimeZone } from "@/lib/time/zone";
import { DEFAULT_DORA_BANDS, doraBandSets } from "@/lib/kpis/dora/bands";

const nonEmpty = z.string().trim().min(1, "must not be empty");
const names = z.array(nonEmpty);
const timeZone = z.string().refine(isTimeZone, { message: "is not an IANA time zone name (e.g. Europe/Berlin)" });
const repo = z.string().regex(/^[\w.-]+\/[\w.-]+$/, "must be owner/name");
const url = z.url({ message: "must be a URL" });
const date = z.iso.date({ message: "must be a date YYYY-MM-DD" });
const cron = nonEmpty.superRefine((pattern, ctx) => {
  const problem = scheduleProblem(pattern);
  if (problem) ctx.addIssue({ code: "custom", message: problem });
});

export const projectConfig = z.strictObject({
  slug: z.string().regex(/^[a-z0-9-]+$/, "must be lowercase letters, digits and dashes"),
  name: nonEmpty,
  timezone: timeZone.optional(),
  production_environments: names.min(1).default(["production", "prod"]),
  incident_window_hours: z.number().positive().default(168),
  github: z.strictObject({ repos: z.array(repo).default([]) }).optional(),
  jira: z.strictObject({ projects: names.default([]) }).optional(),
  services: names.default([]),
  models: names.default([]),
  datasets: names.default([]),
  slack: z.lazy(() => projectSlack).optional(),
});

export const githubLabels = z.strictObject({
  bug: names.default(["bug"]),
  feature: names.default(["enhancement", "feature"]),
  incident: names.default(["incident"]),
  data_quality: names.default(["data-quality"]),
  hotfix: names.default(["hotfix"]),
});

const githubSource = z.strictObject({
  base_url: url.default("https://api.github.com"),
  token: nonEmpty,
  schedule: cron.default("*/30 * * * *"),
  since: date.optional(),
  webhook_secret: nonEmpty.optional(),
  labels: githubLabels.prefault({}),
});

export const jiraIssueTypes = z.strictObject({
  bug: names.default(["Bug"]),
  feature: names.default(["Story", "Feature", "New Feature"]),
  incident: names.default(["Incident"]),
  data_access: names.default(["Access Request"]),
});

export const jiraLabels = z.strictObject({ data_quality: names.default(["data-quality"]), data_access: names.default(["data-access"]) });

export const notDoneResolutions = names.default(["Won't Do", "Won't Fix", "Duplicate", "Cannot Reproduce", "Declined"]);

const jiraSource = z.strictObject({
  base_url: url,
  email: nonEmpty.optional(),
  token: nonEmpty,
  schedule: cron.default("0 * * * *"),
  since: date.optional(),
  /** Jira Server / Data Center without /rest/api/3: 2. */
  api_version: z.union([z.literal(2), z.literal(3)]).default(3),
  issue_types: jiraIssueTypes.prefault({}),
  labels: jiraLabels.prefault({}),
  /** Resolutions that close an issue without doing it (kpis.md, "Resolved as done"). */
  not_done_resolutions: notDoneResolutions,
});

const deployLogsSource = z.strictObject({
  paths: names.min(1),
  schedule: cron.default("*/5 * * * *"),
});

const weekdays = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"] as const;

/** A weekly send time: day and HH:MM in each project's zone. */
const weeklyAt = (time: string) =>
  z.strictObject({
    day: z.enum(weekdays).default("monday"),
    time: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "must be HH:MM").default(time),
  });

const email = z.strictObject({
  smtp_url: z.string().regex(/^smtps?:\/\//, "must be an smtp:// or smtps:// URL"),
  from: nonEmpty,
  base_url: url,
  weekly: weeklyAt("08:00").prefault({}),
});

/** The weekly summary in Slack: an incoming webhook (docs/slack.md). */
const slack = z.strictObject({
  webhook_url: z.url({ protocol: /^https?$/, message: "must be an http(s) URL (a Slack incoming webhook)" }),
  weekly: weeklyAt("09:00").prefault({}),
});
/** A project's own Slack channel; its `weekly` falls back to the file's `slack.weekly`. */
export const projectSlack = z.strictObject({
  webhook_url: slack.shape.webhook_url,
  weekly: weeklyAt("09:00").optional(),
});

export const configFile = z
  .strictObject({
    timezone: timeZone.default("UTC"),
    database_url: z.string().optional(),
    projects: z.array(projectConfig).default([]),
    sources: z
      .strictObject({ github: githubSource.optional(), jira: jiraSource.optional(), deploy_logs: deployLogsSource.optional() })
      .prefault({}),
    email: email.optional(),
    slack: slack.optional(),
    /** Which State of DevOps report's performance bands `band` follows (a number or a string in the file). */
    dora_bands: z
      .union([z.number(), z.string()])
      .transform(String)
      .pipe(z.enum(doraBandSets, { message: `must be one of ${doraBandSets.join(", ")}` }))
      .default(DEFAULT_DORA_BANDS),
  })
  .superRefine((config, ctx) => {
    const seen = new Set<string>();
    config.projects.forEach((project, index) => {
      if (seen.has(project.slug)) {
        ctx.addIssue({ code: "custom", message: `duplicate project slug "${project.slug}"`, path: ["projects", index, "slug"] });
      }
      seen.add(project.slug);
    });
  });

export type ConfigFile = z.infer<typeof configFile>;
export type ProjectConfigFile = z.infer<typeof projectConfig>;
export type GithubSourceConfig = z.infer<typeof githubSource>;
export type JiraSourceConfig = z.infer<typeof jiraSource>;
export type DeployLogsSourceConfig = z.infer<typeof deployLogsSource>;
export type EmailConfig = z.infer<typeof email>;
export type SlackConfig = z.infer<typeof slack>;
