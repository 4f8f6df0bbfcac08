/**
 * Sends a project's weekly email to its subscribers, exactly once per (project, week, email)
 * however many servers or restarts are involved (docs/email.md, "Exactly once"):
 *
 * - A send of one project holds the project's advisory lock (another server's send of it waits;
 *   PostgreSQL drops the lock when a process dies). The lock is the proof of life of a
 *   `sending` row: whoever holds it knows no live process is sending that row.
 * - Before each message, its row is claimed: inserted as `sending`, or taken over when an
 *   earlier try failed or was left `sending` by a stopped process. A `sent` row is never
 *   claimed again (unless --force), so nobody gets the week twice.
 * - A process killed after the SMTP server accepted a message but before recording it leaves
 *   `sending`, and the next send mails it again — at least once, never lost. That copy has the
 *   same Message-ID (deterministic per project, week and address), so it is recognisable and
 *   clients that de-duplicate by Message-ID show one.
 */
import { createHash } from "node:crypto";
import { and, eq, ne, sql } from "drizzle-orm";
import nodemailer, { type Transporter } from "nodemailer";
import type { Store } from "@/db/client";
import { digestLock } from "@/db/locks";
import { digestSends } from "@/db/schema";
import { storable } from "@/db/storable";
import type { Config } from "@/lib/config/load";
import { UserError } from "@/lib/errors/user-error";
import { digestLinks, oneClickUnsubscribeUrl } from "./links";
import { chartImages, renderDigest, type InlineImage } from "./render";
import { subscribers } from "./subscriptions";
import { weeklySummary, type WeeklySummary } from "./summary";
import { unsubscribeToken } from "./unsubscribe-token";
import { thisServer } from "@/lib/scheduler/in-flight";


export interface RetryPolicy {
  /** Tries per message, the first included. */
  attempts: number;
  /** The wait before the first retry; each later wait is four times longer. */
  baseDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 4, baseDelayMs: 5_000 };

export interface SendRequest {
  project: string;
  /** A date in the week to send (default: last week). */
  week?: string;
  /** Send again to subscribers who had this week's email already. */
  force?: boolean;
  /** Only finish what an earlier send of the week began: its failed and interrupted emails. */
  unfinishedOnly?: boolean;
  now?: Date;
  /** The SMTP transport; by default one for `email.smtp_url`. */
  transport?: Transporter;
  retry?: RetryPolicy;
  /** Names this process in digest_sends.claimed_by. */
  serverId?: string;
  log?: (line: string) => void;
}

export interface SendResult {
  project: string;
  week: string;
  subject: string;
  sent: string[];
  /** Subscribers who had this week's email already. */
  skipped: string[];
  failed: { email: string; error: string }[];
}

const LOCK_POLL_MS = 500;

export async function sendWeeklyDigest(store: Store, config: Config, request: SendRequest): Promise<SendResult> {
  if (!config.email) throw new UserError("no email: block in the configuration (smtp_url, from, base_url): nothing to send with", "unavailable");
  const summary = await weeklySummary(store, config, { project: request.project, week: request.week, now: request.now });
  const result: SendResult = { project: summary.project.slug, week: summary.week.from, subject: summary.subject, sent: [], skipped: [], failed: [] };
  const transport = request.transport ?? nodemailer.createTransport(config.email.smtp_url);
  try {
    await whileHoldingProjectLock(store, summary.project.slug, () => sendToAll(store, config, summary, transport, request, result), () =>
      request.log?.(`${summary.project.slug}: another process is sending the week of ${summary.week.from}; waiting for it to finish`),
    );
  } finally {
    if (!request.transport) transport.close();
  }
  return result;
}

/**
 * Waits for the project's lock rather than giving up: a send that found the lock taken may have
 * more to do than the holder (a full week after a holder finishing only unfinished emails).
 * Polled with tryExclusively, which also excludes tasks of one process on the embedded database.
 */
export async function whileHoldingProjectLock(store: Store, slug: string, action: () => Promise<void>, onWait: () => void): Promise<void> {
  for (let waited = false; ; waited = true) {
    const attempt = await store.tryExclusively(digestLock(slug), action);
    if (attempt.acquired) return;
    if (!waited) onWait();
    await new Promise((resolve) => setTimeout(resolve, LOCK_POLL_MS));
  }
}

async function sendToAll(store: Store, config: Config, summary: WeeklySummary, transport: Transporter, request: SendRequest, result: SendResult): Promise<void> {
  const serverId = request.serverId ?? thisServer();
  const retry = request.retry ?? DEFAULT_RETRY;
  const charts = summary.noData ? [] : chartImages(summary);
  let unreachable: string | undefined;
  for (const email of await recipients(store, summary, request.unfinishedOnly ?? false)) {
    if (!(await claim(store, summary, email, serverId, request.force ?? false))) {
      result.skipped.push(email);
      continue;
    }
    if (unreachable) {
      // The server did not answer for the previous address through every retry: don't wait the same again per subscriber.
      await settle(store, summary, email, { status: "failed", lastError: `not tried: ${unreachable}` });
      result.failed.push({ email, error: `not tried: ${unreachable}` });
      continue;
    }
    const message = await composeMessage(store, config, summary, email, charts, request.force ?? false);
    const outcome = await deliver(store, summary, email, transport, message, retry, request.log);
    if (outcome.ok) result.sent.push(email);
    else {
      result.failed.push({ email, error: outcome.error });
      if (outcome.connection) unreachable = `the SMTP server was unreachable (${outcome.error})`;
    }
  }
}

/** The subscribers, or those of them whose email of the week was begun and not sent. */
async function recipients(store: Store, summary: WeeklySummary, unfinishedOnly: boolean): Promise<string[]> {
  const all = await subscribers(store, summary.project.slug);
  if (!unfinishedOnly) return all;
  const unfinished = await store.db
    .select({ email: digestSends.email })
    .from(digestSends)
    .where(and(eq(digestSends.project, summary.project.slug), eq(digestSends.week, summary.week.from), ne(digestSends.status, "sent")));
  const begun = new Set(unfinished.map((row) => row.email));
  return all.filter((email) => begun.has(email));
}

/**
 * Claims the row of one message; false when it was sent already. Only under the project's lock,
 * where a `sending` row is one a stopped process left.
 */
export async function claim(store: Store, summary: Pick<WeeklySummary, "project" | "week">, email: string, serverId: string, force: boolean): Promise<boolean> {
  const claimed = await store.db
    .insert(digestSends)
    .values({ project: summary.project.slug, week: summary.week.from, email, status: "sending", claimedBy: serverId })
    .onConflictDoUpdate({
      target: [digestSends.project, digestSends.week, digestSends.email],
      set: { status: "sending", claimedBy: serverId, claimedAt: sql`now()` },
      setWhere: force ? undefined : sql`${digestSends.status} <> 'sent'`,
    })
    .returning({ email: digestSends.email });
  return claimed.length > 0;
}

interface Message {
  from: string;
  subject: string;
  html: string;
  text: string;
  images: InlineImage[];
  messageId: string;
  unsubscribe: string;
}

async function composeMessage(store: Store, config: Config, summary: WeeklySummary, email: string, charts: InlineImage[], force: boolean): Promise<Message> {
  const baseUrl = config.email!.base_url;
  const token = await unsubscribeToken(store, summary.project.slug, email);
  const rendered = await renderDigest(summary, digestLinks(baseUrl, summary, token), { images: "cid", charts });
  return { ...rendered, from: config.email!.from, messageId: messageIdOf(summary, email, baseUrl, force), unsubscribe: oneClickUnsubscribeUrl(baseUrl, token) };
}

/** The same for every try of one (project, week, address); a forced resend is a new message. */
export function messageIdOf(summary: Pick<WeeklySummary, "project" | "week">, email: string, baseUrl: string, force = false): string {
  const address = createHash("sha256").update(email).digest("hex").slice(0, 16);
  const resend = force ? `.resent-${Date.now()}` : "";
  return `<digest.${summary.project.slug}.${summary.week.from}.${address}${resend}@${new URL(baseUrl).hostname}>`;
}

type Outcome = { ok: true } | { ok: false; error: string; connection: boolean };

/** Sends one message, retrying transient failures with backoff; records every try. */
async function deliver(store: Store, summary: WeeklySummary, email: string, transport: Transporter, message: Message, retry: RetryPolicy, log?: (line: string) => void): Promise<Outcome> {
  for (let attempt = 1; ; attempt++) {
    await store.db
      .update(digestSends)
      .set({ attempts: sql`${digestSends.attempts} + 1` })
      .where(rowOf(summary, email));
    try {
      const info = (await transport.sendMail({
        to: email,
        subject: message.subject,
        html: message.html,
        text: message.text,
        messageId: message.messageId,
        attachments: message.images.map((image) => ({ cid: image.cid, filename: image.filename, content: image.content, contentType: image.contentType, contentDisposition: "inline" as const })),
        headers: { "List-Unsubscribe": `<${message.unsubscribe}>`, "List-Unsubscribe-Post": "List-Unsubscribe=One-Click" },
        from: message.from,
      })) as { messageId?: string };
      await settle(store, summary, email, { status: "sent", messageId: info.messageId ?? message.messageId, sentAt: new Date().toISOString(), lastError: null });
      return { ok: true };
    } catch (error) {
      const failure = classify(error);
      const final = !failure.transient || attempt >= retry.attempts;
      await settle(store, summary, email, final ? { status: "failed", lastError: failure.message } : { lastError: failure.message });
      log?.(`${summary.project.slug}: ${email}: try ${attempt} failed: ${failure.message}${final ? "" : "; retrying"}`);
      if (final) return { ok: false, error: failure.message, connection: failure.connection };
      await new Promise((resolve) => setTimeout(resolve, retry.baseDelayMs * 4 ** (attempt - 1)));
    }
  }
}

/**
 * SMTP replies 4xx and lost connections are worth another try; 5xx replies are permanent (the
 * server said no: a bad address, a refused sender) and keep the server's words.
 */
export function classify(error: unknown): { transient: boolean; connection: boolean; message: string } {
  const failure = error as { responseCode?: number; response?: string; code?: string; message?: string };
  if (typeof failure.responseCode === "number") {
    return { transient: failure.responseCode < 500, connection: false, message: failure.response ?? `SMTP ${failure.responseCode}` };
  }
  const message = (failure.message ?? String(error)).split("\n")[0]!;
  return { transient: true, connection: true, message };
}

function rowOf(summary: Pick<WeeklySummary, "project" | "week">, email: string) {
  return and(eq(digestSends.project, summary.project.slug), eq(digestSends.week, summary.week.from), eq(digestSends.email, email));
}

export async function settle(store: Store, summary: Pick<WeeklySummary, "project" | "week">, email: string, values: Partial<typeof digestSends.$inferInsert>): Promise<void> {
  // lastError keeps the SMTP server's own words: text from outside, like a source's.
  await store.db.update(digestSends).set(storable(values)).where(rowOf(summary, email));
}
