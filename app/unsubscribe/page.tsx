import { findProject } from "@/lib/config/projects";
import { readUnsubscribeToken } from "@/lib/digest/unsubscribe-token";
import { getServerRuntime } from "@/lib/server/shared-runtime";
import { UnsubscribeView } from "@/app/components/unsubscribe/unsubscribe-view";

export const dynamic = "force-dynamic";

/** An email's unsubscribe link: no sign-in (the token is signed), so no openPage(). */
export default async function UnsubscribePage({ searchParams }: { searchParams: Promise<{ token?: string; done?: string }> }) {
  const { token = "", done } = await searchParams;
  const { store, config } = await getServerRuntime();
  const found = await readUnsubscribeToken(store, token);
  const subscription = found && { email: found.email, projectName: findProject(config, found.project)?.name ?? found.project };
  return <UnsubscribeView token={token} subscription={subscription} done={Boolean(done)} />;
}
