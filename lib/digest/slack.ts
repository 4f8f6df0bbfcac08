/**
 * The weekly summary in Slack (docs/slack.md): the email's summary (summary.ts) as Block Kit,
 * posted to the project's incoming webhook exactly once per project and week — claimed in
 * digest_sends under the recipient `slack`, under the project's lock, like each email
 * (send.ts, "Exactly once"). Slack's 429 is retried after its Retry-After; a refusal
 * (400 invalid_blocks, 403, 404 no_service, 410 channel_is_archived …) fails the week's post
 * with one line that the sources page shows beside the email deliveries.
 */
import type { KnownBlock, SectionBlock } from "@slack/types";
import type { Store } from "@/db/client";
import type { Config, ProjectConfig } from "@/lib/config/load";
import type { EmailConfig } from "@/lib/config/schema";
import { formatValue } from "@/lib/format/values";
import { thisServer } from "@/lib/scheduler/in-flight";
import { defaultBaseUrl, digestLinks, type DigestLinks } from "./links";
import { rowChangeWords } from "./format";
import { claim, settle, whileHoldingProjectLock } from "./send";
import { weeklySummary, type DigestRow, type WeeklySummary } from "./summary";
import { headline, label, moverWords } from "./template";

/** The digest_sends recipient of a project's Slack post (an email address never looks like it). */
export const SLACK_RECIPIENT = "slack";

/** Block Kit's limits (Slack's reference): a message, a section's text, a header, fields. */
export const BLOCK_KIT_LIMITS = { blocks: 50, text: 3000, header: 150, fields: 10, field: 2000, contextElements: 10 } as const;

/** The five DORA KPIs lead the Slack message: its headline numbers. */
const HEADLINE_KPIS = ["deployment_frequency", "lead_time_for_changes", "change_failure_rate", "time_to_restore", "rework_rate"];
/** A list longer than this ends in "… and N more", so a project with many targets stays readable. */
const MAX_LISTED = 10;

export interface SlackMessage {
  text: string;
  blocks: KnownBlock[];
}

export interface SlackTarget {
  webhookUrl: string;
  weekly: EmailConfig["weekly"];
}

/** The project's Slack webhook: its own `slack:`, else the file's; null when neither is set. */
export function slackTarget(config: Config, project: ProjectConfig): SlackTarget | null {
  const webhookUrl = project.slack?.webhook_url ?? config.slack?.webhook_url;
  if (!webhookUrl) return null;
  return { webhookUrl, weekly: project.slack?.weekly ?? config.slack?.weekly ?? { day: "monday", time: "09:00" } };
}

/** The summary as Block Kit: headline numbers, targets missed and at risk, the biggest movers, a link to the project page. */
export function slackMessage(summary: WeeklySummary, links: DigestLinks): SlackMessage {
  const { project, week } = summary;
  const blocks: KnownBlock[] = [
    { type: "header", text: { type: "plain_text", text: clip(`${project.name}: the week of ${week.from}`, BLOCK_KIT_LIMITS.header) } },
    { type: "context", elements: [{ type: "mrkdwn", text: `Monday ${week.from} to Sunday ${week.to} (${project.timezone}), compared with the week before.` }] },
  ];
  if (summary.noData) {
    blocks.push(section(`No data arrived for ${escape(project.name)} last week, so there is nothing to summarise. Connect a source: <${links.sources}|sources and their last syncs>.`));
  } else {
    blocks.push(section(`*${escape(headline(summary))}*`));
    const numbers = summary.rows.filter((row) => HEADLINE_KPIS.includes(row.id));
    blocks.push({ type: "section", fields: numbers.slice(0, BLOCK_KIT_LIMITS.fields).map((row) => ({ type: "mrkdwn", text: clip(numberField(row), BLOCK_KIT_LIMITS.field) })) });
    if (summary.missed.length) blocks.push(section(listed("Targets missed", summary.missed.map(targetLine))));
    if (summary.atRisk.length) blocks.push(section(listed("Off track (at risk)", summary.atRisk.map(targetLine))));
    if (summary.worst || summary.best) {
      blocks.push(
        section(
          listed("What changed most", [
            ...(summary.worst ? [`Worst: ${escape(moverWords(summary.worst))}`] : []),
            ...(summary.best ? [`Best: ${escape(moverWords(summary.best))}`] : []),
          ]),
        ),
      );
    }
  }
  blocks.push({ type: "divider" }, section(`<${links.project}|Open ${escape(project.name)} in Shipshape> · <${links.preview}|the full summary>`));
  return { text: summary.subject, blocks };
}

function numberField(row: DigestRow): string {
  const words = rowChangeWords(row);
  const change = words === null ? "" : ` (${words})`;
  const target = row.target ? `\ntarget ${formatValue(row.target.value, row.unit)}: ${row.status.replace("_", " ")}` : "";
  return `*${escape(row.title)}*\n${formatValue(row.value, row.unit)}${change}${target}`;
}

function targetLine(row: DigestRow): string {
  return `• ${escape(label(row))}: ${formatValue(row.value, row.unit)} against a target of ${formatValue(row.target!.value, row.unit)}`;
}

function listed(title: string, lines: string[]): string {
  const shown = lines.slice(0, MAX_LISTED);
  if (lines.length > MAX_LISTED) shown.push(`… and ${lines.length - MAX_LISTED} more`);
  return `*${title}*\n${shown.join("\n")}`;
}

function section(text: string): SectionBlock {
  return { type: "section", text: { type: "mrkdwn", text: clip(text, BLOCK_KIT_LIMITS.text) } };
}

function clip(text: string, limit: number): string {
  return text.length <= limit ? text : `${text.slice(0, limit - 1)}…`;
}

/** Slack's mrkdwn control characters in our own text (project names, KPI titles). */
function escape(text: string): string {
  return text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");
}

/** What in a message breaks Block Kit's limits, one line each; empty when it fits. */
export function blockKitProblems(message: SlackMessage): string[] {
  const problems: string[] = [];
  if (message.blocks.length > BLOCK_KIT_LIMITS.blocks) problems.push(`${message.blocks.length} blocks (at most ${BLOCK_KIT_LIMITS.blocks})`);
  message.blocks.forEach((block, index) => {
    const where = `block ${index + 1} (${block.type})`;
    if (block.type === "header" && block.text.text.length > BLOCK_KIT_LIMITS.header) problems.push(`${where}: text of ${block.text.text.length} characters (at most ${BLOCK_KIT_LIMITS.header})`);
    if (block.type === "section") {
      if (block.text && block.text.text.length > BLOCK_KIT_LIMITS.text) problems.push(`${where}: text of ${block.text.text.length} characters (at most ${BLOCK_KIT_LIMITS.text})`);
      if (block.fields && block.fields.length > BLOCK_KIT_LIMITS.fields) problems.push(`${where}: ${block.fields.length} fields (at most ${BLOCK_KIT_LIMITS.fields})`);
      for (const field of block.fields ?? []) if (field.text.length > BLOCK_KIT_LIMITS.field) problems.push(`${where}: a field of ${field.text.length} characters (at most ${BLOCK_KIT_LIMITS.field})`);
    }
    if (block.type === "context" && block.elements.length > BLOCK_KIT_LIMITS.contextElements) problems.push(`${where}: ${block.elements.length} elements (at most ${BLOCK_KIT_LIMITS.contextElements})`);
  });
  return problems;
}

export interface SlackRetryPolicy {
  /** Tries, the first included. */
  attempts: number;
  /** The wait before retrying a 5xx or a lost connection; each later wait is four times longer. */
  baseDelayMs: number;
  /** The longest Retry-After Shipshape waits for within one send; longer ones fail the try. */
  maxRetryAfterMs: number;
}

export const DEFAULT_SLACK_RETRY: SlackRetryPolicy = { attempts: 4, baseDelayMs: 5_000, maxRetryAfterMs: 5 * 60_000 };

export interface SlackRequest {
  project: string;
  week?: string;
  force?: boolean;
  now?: Date;
  retry?: SlackRetryPolicy;
  serverId?: string;
  log?: (line: string) => void;
}

export type SlackResult =
  | { project: string; week: string; outcome: "sent" | "skipped"; attempts: number }
  | { project: string; week: string; outcome: "failed"; attempts: number; error: string };

/** Posts a project's weekly summary to its Slack webhook, once per week (`force`: again). */
export async function postWeeklySlack(store: Store, config: Config, request: SlackRequest): Promise<SlackResult | null> {
  const project = config.projects.find((p) => p.slug === request.project);
  const target = project && slackTarget(config, project);
  if (!target) return null;
  const summary = await weeklySummary(store, config, { project: request.project, week: request.week, now: request.now });
  const message = slackMessage(summary, digestLinks(config.email?.base_url ?? defaultBaseUrl(), summary));
  const base = { project: summary.project.slug, week: summary.week.from };
  let result: SlackResult = { ...base, outcome: "skipped", attempts: 0 };
  await whileHoldingProjectLock(
    store,
    summary.project.slug,
    async () => {
      if (!(await claim(store, summary, SLACK_RECIPIENT, request.serverId ?? thisServer(), request.force ?? false))) return;
      const problems = blockKitProblems(message);
      const outcome = problems.length
        ? { ok: false as const, attempts: 0, error: `the summary breaks Block Kit's limits: ${problems.join("; ")}` }
        : await deliver(target.webhookUrl, message, request.retry ?? DEFAULT_SLACK_RETRY, (line) => request.log?.(`${base.project}: Slack: ${line}`));
      await settle(store, summary, SLACK_RECIPIENT, outcome.ok ? { status: "sent", sentAt: new Date().toISOString(), lastError: null, attempts: outcome.attempts } : { status: "failed", lastError: outcome.error, attempts: outcome.attempts });
      result = outcome.ok ? { ...base, outcome: "sent", attempts: outcome.attempts } : { ...base, outcome: "failed", attempts: outcome.attempts, error: outcome.error };
    },
    () => request.log?.(`${base.project}: another process is sending the week of ${base.week}; waiting for it to finish`),
  );
  return result;
}

type Delivery = { ok: true; attempts: number } | { ok: false; attempts: number; error: string };

/**
 * One POST per try. Slack answers 200 "ok"; 429 with Retry-After (seconds) when rate limited;
 * 4xx with an error code as the body (invalid_blocks, invalid_payload, no_text, action_prohibited,
 * no_service, channel_not_found, channel_is_archived): permanent; 5xx and lost connections are
 * worth another try.
 */
async function deliver(url: string, message: SlackMessage, retry: SlackRetryPolicy, log: (line: string) => void): Promise<Delivery> {
  for (let attempt = 1; ; attempt++) {
    let wait: number;
    let error: string;
    try {
      const response = await fetch(url, { method: "POST", headers: { "content-type": "application/json; charset=utf-8" }, body: JSON.stringify(message) });
      const body = (await response.text()).trim().split("\n")[0]!.slice(0, 200);
      if (response.ok) return { ok: true, attempts: attempt };
      error = `Slack answered ${response.status}${body ? ` ${body}` : ""}`;
      if (response.status === 429) {
        const seconds = Number(response.headers.get("retry-after") ?? "1");
        wait = (Number.isFinite(seconds) && seconds >= 0 ? seconds : 1) * 1000;
        if (wait > retry.maxRetryAfterMs) return { ok: false, attempts: attempt, error: `${error} (Retry-After ${seconds} s is longer than Shipshape waits)` };
      } else if (response.status >= 500) {
        wait = retry.baseDelayMs * 4 ** (attempt - 1);
      } else {
        return { ok: false, attempts: attempt, error: `Slack refused the summary: ${response.status} ${body || response.statusText}` };
      }
    } catch (failure) {
      error = `the Slack webhook could not be reached (${(failure as Error).cause instanceof Error ? ((failure as Error).cause as Error).message : (failure as Error).message})`;
      wait = retry.baseDelayMs * 4 ** (attempt - 1);
    }
    if (attempt >= retry.attempts) return { ok: false, attempts: attempt, error };
    log(`try ${attempt} failed: ${error}; retrying in ${Math.round(wait / 1000)} s`);
    await new Promise((resolve) => setTimeout(resolve, wait));
  }
}
