/** The configuration file's contract (../shared/spec/inputs.md) as zod schemas. */
import { z } from "zod";
import { scheduleProblem } from "@/lib/scheduler/cron";
import { isTimeZone } from "@/lib/time/zone";
import { DEFAULT_DORA_BANDS, doraBandSets } from "@/lib/kpis/dora/bands";
import { scoredKpis } from "@/lib/kpis/dora/quick-check";
import { kpiIds, type KpiId } from "@/lib/kpis/ids";

const nonEmpty = z.string().trim().min(1, "must not be empty");
const names = z.array(nonEmpty);
const timeZone = z.string().refine(isTimeZone, { message: "is not an IANA time zone name (e.g. Europe/Berlin)" });
const repo = z.string().regex(/^[\w.-]+\/(?:[\w.-]+|\*)$/, "must be owner/name, or owner/* for every repo of owner");
const url = z.url({ message: "must be a URL" });
const date = z.iso.date({ message: "must be a date YYYY-MM-DD" });
const cron = nonEmpty.superRefine((pattern, ctx) => {
  const problem = scheduleProblem(pattern);
  if (problem) ctx.addIssue({ code: "custom", message: problem });
});

/**
 * Which GitHub Actions workflows deploy (kpis.md, "GitHub Actions runs"): by the workflow's
 * file name or a glob over its name; the environment fixed, or by the run's branch (globs).
 */
export const deployWorkflow = z
  .strictObject({
    file: nonEmpty.optional(),
    name: nonEmpty.optional(),
    environment: nonEmpty.optional(),
    branches: z.record(nonEmpty, nonEmpty).optional(),
  })
  .superRefine((rule, ctx) => {
    if ((rule.file === undefined) === (rule.name === undefined)) ctx.addIssue({ code: "custom", message: "needs exactly one of file (deploy.yml) and name (a glob, \"Deploy *\")" });
    if ((rule.environment === undefined) === (rule.branches === undefined)) {
      ctx.addIssue({ code: "custom", message: "needs exactly one of environment (a name) and branches (branch glob: environment)" });
    }
  });
const deployWorkflows = z.array(deployWorkflow);

/** A KPI id of the catalog (kpis.md), as `headline:` names them. */
const kpiId = z.enum(kpiIds as [KpiId, ...KpiId[]], { message: `must be a KPI id of the catalog (one of ${kpiIds.join(", ")})` });
/** The overview's summary row of a project shows these KPIs' sparklines; by default the five DORA KPIs. */
export const DEFAULT_HEADLINE: KpiId[] = [...scoredKpis];

export const projectConfig = z.strictObject({
  slug: z.string().regex(/^[a-z0-9-]+$/, "must be lowercase letters, digits and dashes"),
  name: nonEmpty,
  timezone: timeZone.optional(),
  production_environments: names.min(1).default(["production", "prod"]),
  incident_window_hours: z.number().positive().default(168),
  github: z.strictObject({ repos: z.array(repo).default([]), workflows: deployWorkflows.optional() }).optional(),
  jira: z.strictObject({ projects: names.default([]) }).optional(),
  services: names.default([]),
  models: names.default([]),
  datasets: names.default([]),
  slack: z.lazy(() => projectSlack).optional(),
  /** A team or product line: the overview can be filtered by it. */
  group: nonEmpty.optional(),
  /** The KPIs of the overview's summary row (a sparkline each), in this order. */
  headline: z
    .array(kpiId)
    .refine((ids) => new Set(ids).size === ids.length, { message: "names a KPI twice" })
    .default(() => [...DEFAULT_HEADLINE]),
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
  /** GraphQL reads a page of pull requests with their commits and reviews in one query; rest is the old path. */
  api: z.enum(["graphql", "rest"]).default("graphql"),
  workflows: deployWorkflows.default([]),
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

/** dbt artifacts (docs/dbt.md): the files to read and which dbt nodes make up each dataset. */
const dbtSource = z.strictObject({
  paths: names.min(1),
  /** dataset -> the unique_ids of the dbt nodes (models, sources, seeds, snapshots) that are it. */
  datasets: z.record(nonEmpty, names.min(1, "must name at least one dbt node unique_id")).default({}),
  schedule: cron.default("*/15 * * * *"),
});

/** MLflow Model Registry (REST API 2.0): which aliases mean "serving in production", which run metrics to keep. */
const mlflowSource = z.strictObject({
  base_url: url,
  /** A Bearer token (Databricks: a personal access token); none for a server without authentication. */
  token: nonEmpty.optional(),
  production_aliases: names.min(1).default(["production", "champion"]),
  /**
   * Run metrics recorded as model_metric: a name (judged higher-is-better), or
   * `{ name, direction }` for one where lower is better (log_loss, latency).
   */
  metrics: z.array(z.union([nonEmpty, z.strictObject({ name: nonEmpty, direction: z.enum(["higher", "lower"]) })])).default([]),
  schedule: cron.default("*/15 * * * *"),
});

/** Airflow REST API: /api/v1 (Airflow 2) or /api/v2 (Airflow 3), DAG runs as data refreshes of the datasets they are mapped to. */
const airflowSource = z
  .strictObject({
    base_url: url,
    api_version: z.union([z.literal(1), z.literal(2)]).default(2),
    /** Airflow 2: basic auth; Airflow 3: exchanged for a JWT at POST /auth/token. */
    username: nonEmpty.optional(),
    password: nonEmpty.optional(),
    /** A Bearer token instead of a username and password. */
    token: nonEmpty.optional(),
    /** dataset → the DAG ids whose finished runs refresh it. */
    datasets: z.record(nonEmpty, names.min(1)).refine((datasets) => Object.keys(datasets).length > 0, { message: "must map at least one dataset to its DAG ids" }),
    schedule: cron.default("*/15 * * * *"),
    since: date.optional(),
  })
  .superRefine((airflow, ctx) => {
    if (airflow.token && (airflow.username || airflow.password)) {
      ctx.addIssue({ code: "custom", message: "cannot be given with username and password: use one or the other", path: ["token"] });
    }
    if (Boolean(airflow.username) !== Boolean(airflow.password)) {
      const missing = airflow.username ? "password" : "username";
      ctx.addIssue({ code: "custom", message: `${missing} is needed with ${missing === "password" ? "username" : "password"}`, path: [missing] });
    }
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
      .strictObject({
        github: githubSource.optional(),
        jira: jiraSource.optional(),
        deploy_logs: deployLogsSource.optional(),
        dbt: dbtSource.optional(),
        mlflow: mlflowSource.optional(),
        airflow: airflowSource.optional(),
      })
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
export type DbtSourceConfig = z.infer<typeof dbtSource>;
export type DeployWorkflowConfig = z.infer<typeof deployWorkflow>;
export type MlflowSourceConfig = z.infer<typeof mlflowSource>;
export type AirflowSourceConfig = z.infer<typeof airflowSource>;
export type EmailConfig = z.infer<typeof email>;
export type SlackConfig = z.infer<typeof slack>;
