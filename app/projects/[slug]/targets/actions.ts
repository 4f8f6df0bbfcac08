"use server";
/** The targets page's changes: editors only, with the session's CSRF token (lib/auth/guard.ts). */
import { revalidatePath } from "next/cache";
import { authorizeForm, refused } from "@/lib/auth/guard";
import { getServerRuntime } from "@/lib/server/shared-runtime";
import { asSentence } from "@/lib/format/sentence";
import { formValues, saveTargetForm, type TargetFormState } from "@/lib/targets/form";
import { UserError } from "@/lib/errors/user-error";
import { removeTarget } from "@/lib/targets/store";
import type { ActionAnswer } from "@/app/components/forms/action-form";

const text = (form: FormData, name: string) => String(form.get(name) ?? "");

export async function saveTargetAction(_previous: TargetFormState, form: FormData): Promise<TargetFormState> {
  const values = formValues(form);
  const allowed = await authorizeForm(form, "editor");
  if ("error" in allowed) return { values, errors: { form: allowed.error }, saved: null };
  const { config, store } = await getServerRuntime();
  const project = text(form, "project");
  const state = await saveTargetForm(store, config, { project, kpi: text(form, "kpi"), setBy: allowed.viewer.email! }, values);
  if (state.saved) revalidatePath(`/projects/${project}/targets`);
  // A form error is not about a field: an unknown project, which the page never sends.
  if (state.errors.form) await refused(state.errors.form);
  return state;
}

export async function removeTargetAction(_previous: ActionAnswer, form: FormData): Promise<ActionAnswer> {
  const allowed = await authorizeForm(form, "editor");
  if ("error" in allowed) return allowed;
  const { config, store } = await getServerRuntime();
  const project = text(form, "project");
  try {
    await removeTarget(store, config, { project, kpi: text(form, "kpi"), dimension: text(form, "dimension"), setBy: allowed.viewer.email! });
  } catch (error) {
    if (error instanceof UserError) return refused(asSentence(error.message));
    throw error;
  }
  revalidatePath(`/projects/${project}/targets`);
  return { error: null };
}
