/**
 * POST /api/webhooks/github (interfaces.md): a delivery is verified against
 * sources.github.webhook_secret (HMAC-SHA256 of the raw body, constant-time comparison by
 * @octokit/webhooks-methods), stored once per X-GitHub-Delivery, and — when it is about a
 * configured repo and an event Shipshape reads — asks the server's scheduler for a prompt sync
 * of that repo.
 */
import { verify } from "@octokit/webhooks-methods";
import { z } from "zod";
import type { Store } from "@/db/client";
import { webhookDeliveries } from "@/db/schema";
import { storable } from "@/db/storable";
import type { Config } from "@/lib/config/load";
import { configuredRepos, namesRepo } from "@/connectors/github/source";

/** The events whose records the GitHub sync reads; others (ping, …) are stored, then ignored. */
const SYNCED_EVENTS = new Set(["pull_request", "push", "deployment", "deployment_status", "release", "issues"]);

const payload = z.looseObject({
  action: z.string().optional(),
  repository: z.looseObject({ full_name: z.string() }).optional(),
});

export interface WebhookAnswer {
  status: 202 | 400 | 401 | 404;
  body: { error: string } | { accepted: true; stored: boolean; sync: string | null };
}

/** Checks and stores one delivery; `requestSync(repo)` is called for a repo to sync. */
export async function receiveGithubDelivery(
  { config, store }: { config: Config; store: Store },
  headers: Headers,
  rawBody: string,
  requestSync: (repo: string) => void,
): Promise<WebhookAnswer> {
  const secret = config.sources.github?.webhook_secret;
  if (!secret) return { status: 404, body: { error: "webhooks are not enabled (sources.github.webhook_secret is not configured)" } };
  const signature = headers.get("x-hub-signature-256");
  if (!signature) return { status: 401, body: { error: "missing X-Hub-Signature-256" } };
  // verify() refuses an empty payload outright; an empty body is not JSON either way.
  if (rawBody === "") return { status: 400, body: { error: "the body is empty, not JSON" } };
  if (!(await verify(secret, rawBody, signature))) return { status: 401, body: { error: "X-Hub-Signature-256 does not match the body (check the webhook secret)" } };
  let json: unknown;
  try {
    json = JSON.parse(rawBody);
  } catch {
    return { status: 400, body: { error: "the body is not JSON (set the webhook's content type to application/json)" } };
  }
  const parsed = payload.safeParse(json);
  if (!parsed.success) return { status: 400, body: { error: "the body is not a JSON object" } };
  const event = headers.get("x-github-event") ?? "unknown";
  const deliveryId = headers.get("x-github-delivery");
  if (!deliveryId) return { status: 400, body: { error: "missing X-GitHub-Delivery" } };
  const repo = parsed.data.repository?.full_name ?? null;
  const stored = await store.db
    .insert(webhookDeliveries)
    .values(storable({ deliveryId, event, action: parsed.data.action ?? null, repo, raw: json }))
    .onConflictDoNothing()
    .returning({ deliveryId: webhookDeliveries.deliveryId });
  const sync = stored.length && SYNCED_EVENTS.has(event) && repo ? configuredRepo(config, repo) : null;
  if (sync) requestSync(sync);
  return { status: 202, body: { accepted: true, stored: stored.length > 0, sync } };
}

/**
 * The configured spelling of `repo` (GitHub's owner/name letter case may differ from the file's),
 * or GitHub's own when the configuration names it through its owner's `owner/*`.
 */
function configuredRepo(config: Config, repo: string): string | null {
  const entries = configuredRepos(config.projects);
  const named = entries.find((entry) => !entry.endsWith("/*") && namesRepo(entry, repo));
  return named ?? (entries.some((entry) => namesRepo(entry, repo)) ? repo : null);
}
