"use server";
/** The digest page's subscribe / unsubscribe button: the signed-in user, for themself only, with the session's CSRF token. */
import { revalidatePath } from "next/cache";
import { authorizeForm, refused } from "@/lib/auth/guard";
import { subscribe, unsubscribe } from "@/lib/digest/subscriptions";
import { UserError } from "@/lib/errors/user-error";
import type { ActionAnswer } from "@/app/components/forms/action-form";
import { asSentence } from "@/lib/format/sentence";
import { getServerRuntime } from "@/lib/server/shared-runtime";

export async function setSubscriptionAction(_previous: ActionAnswer, form: FormData): Promise<ActionAnswer> {
  const allowed = await authorizeForm(form, "viewer");
  if ("error" in allowed) return allowed;
  const { config, store } = await getServerRuntime();
  const project = String(form.get("project") ?? "");
  const request = { project, email: allowed.viewer.email! };
  try {
    await (form.get("subscribe") === "yes" ? subscribe(store, config, request) : unsubscribe(store, config, request));
  } catch (error) {
    if (error instanceof UserError) return refused(asSentence(error.message));
    throw error;
  }
  revalidatePath(`/projects/${project}/digest`);
  return { error: null };
}
