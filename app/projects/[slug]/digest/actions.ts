"use server";
/** The digest page's subscribe / unsubscribe button: the signed-in user, for themself only, with the session's CSRF token. */
import { revalidatePath } from "next/cache";
import { authorizeForm } from "@/lib/auth/guard";
import { subscribe, unsubscribe } from "@/lib/digest/subscriptions";
import { getServerRuntime } from "@/lib/server/shared-runtime";

export async function setSubscriptionAction(form: FormData): Promise<void> {
  const allowed = await authorizeForm(form, "viewer");
  if ("error" in allowed) throw new Error(allowed.error);
  const { config, store } = await getServerRuntime();
  const project = String(form.get("project") ?? "");
  const request = { project, email: allowed.viewer.email! };
  await (form.get("subscribe") === "yes" ? subscribe(store, config, request) : unsubscribe(store, config, request));
  revalidatePath(`/projects/${project}/digest`);
}
