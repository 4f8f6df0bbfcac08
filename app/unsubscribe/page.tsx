import { findProject } from "@/lib/config/projects";
import { readUnsubscribeToken } from "@/lib/digest/unsubscribe-token";
import { getServerRuntime } from "@/lib/server/shared-runtime";

export const dynamic = "force-dynamic";

/**
 * The page an email's unsubscribe link opens. Opening it changes nothing (mail clients prefetch
 * links); the button POSTs, and works without signing in because the token is signed.
 */
export default async function UnsubscribePage({ searchParams }: { searchParams: Promise<{ token?: string; done?: string }> }) {
  const { token = "", done } = await searchParams;
  const { store, config } = await getServerRuntime();
  const subscription = await readUnsubscribeToken(store, token);
  if (!subscription) {
    return (
      <>
        <h1>Unsubscribe</h1>
        <p className="empty">This unsubscribe link is not valid. Use the link in the latest weekly email.</p>
      </>
    );
  }
  const name = findProject(config, subscription.project)?.name ?? subscription.project;
  if (done) {
    return (
      <>
        <h1>Unsubscribed</h1>
        <p>
          <strong>{subscription.email}</strong> no longer receives the weekly summary of {name}.
        </p>
      </>
    );
  }
  return (
    <>
      <h1>Unsubscribe</h1>
      <form method="post" action={`/api/unsubscribe?token=${encodeURIComponent(token)}`} className="card">
        <p>
          Stop sending the weekly summary of <strong>{name}</strong> to <strong>{subscription.email}</strong>?
        </p>
        <button type="submit">Unsubscribe</button>
      </form>
    </>
  );
}
