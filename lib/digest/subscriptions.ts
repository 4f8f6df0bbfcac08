/**
 * Who receives a project's weekly email. Addresses are kept lower-cased (subscriptionInput), so
 * "Ana@Acme.example" and "ana@acme.example" are one subscriber.
 */
import { and, asc, eq } from "drizzle-orm";
import type { Store } from "@/db/client";
import { subscriptionInput, subscriptions } from "@/db/schema";
import type { Config } from "@/lib/config/load";
import { projectOf } from "@/lib/config/projects";
import { firstIssue, UserError } from "@/lib/errors/user-error";

/** The project must exist (not_found) and the address be one (invalid). */
function validated(config: Config, request: { project: string; email: string }): { project: string; email: string } {
  projectOf(config, request.project);
  const parsed = subscriptionInput.safeParse({ project: request.project, email: request.email.trim() });
  if (!parsed.success) throw new UserError(`${request.email.trim() || "(empty)"}: ${firstIssue(parsed.error).replace(/^email: /, "")}`, "invalid");
  return parsed.data;
}

/** Returns whether it changed anything (false: already subscribed). */
export async function subscribe(store: Store, config: Config, request: { project: string; email: string }): Promise<{ changed: boolean }> {
  const subscription = validated(config, request);
  const inserted = await store.db.insert(subscriptions).values(subscription).onConflictDoNothing().returning({ email: subscriptions.email });
  return { changed: inserted.length > 0 };
}

/** Returns whether it changed anything (false: was not subscribed). */
export async function unsubscribe(store: Store, config: Config, request: { project: string; email: string }): Promise<{ changed: boolean }> {
  const { project, email } = validated(config, request);
  return removeSubscription(store, project, email);
}

/** Without checking the project against the configuration: an unsubscribe link outlives a renamed project. */
export async function removeSubscription(store: Store, project: string, email: string): Promise<{ changed: boolean }> {
  const deleted = await store.db
    .delete(subscriptions)
    .where(and(eq(subscriptions.project, project), eq(subscriptions.email, email.toLowerCase())))
    .returning({ email: subscriptions.email });
  return { changed: deleted.length > 0 };
}

export async function isSubscribed(store: Store, project: string, email: string): Promise<boolean> {
  const rows = await store.db
    .select({ email: subscriptions.email })
    .from(subscriptions)
    .where(and(eq(subscriptions.project, project), eq(subscriptions.email, email.toLowerCase())));
  return rows.length > 0;
}

export async function subscribers(store: Store, project: string): Promise<string[]> {
  const rows = await store.db.select({ email: subscriptions.email }).from(subscriptions).where(eq(subscriptions.project, project)).orderBy(asc(subscriptions.email));
  return rows.map((row) => row.email);
}
