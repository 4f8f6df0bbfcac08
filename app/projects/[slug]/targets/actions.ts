"use server";
/** The targets page's changes: editors only, with the session's CSRF token (lib/auth/guard.ts). */
import { revalidatePath } from "next/cache";
import { authorizeForm } from "@/lib/auth/guard";
import { getServerRuntime } from "@/lib/server/shared-runtime";
import { formValues, saveTargetForm, type TargetFormState } from "@/lib/targets/form";
import { removeTarget } from "@/lib/targets/store";

const text = (form: FormData, name: string) => String(form.get(name) ?? "");

export async function saveTargetAction(_previous: TargetFormState, form: FormData): Promise<TargetFormState> {
  const values = formValues(form);
  const allowed = await authorizeForm(form, "editor");
  if ("error" in allowed) return { values, errors: { form: allowed.error }, saved: null };
  const { config, store } = await getServerRuntime();
  const project = text(form, "project");
  const state = await saveTargetForm(store, config, { project, kpi: text(form, "kpi"), setBy: allowed.viewer.email! }, values);
  if (state.saved) revalidatePath(`/projects/${project}/targets`);
  return state;
}

export async function removeTargetAction(form: FormData): Promise<void> {
  const allowed = await authorizeForm(form, "editor");
  if ("error" in allowed) throw new Error(allowed.error);
  const { config, store } = await getServerRuntime();
  const project = text(form, "project");
  await removeTarget(store, config, { project, kpi: text(form, "kpi"), dimension: text(form, "dimension"), setBy: allowed.viewer.email! });
  revalidatePath(`/projects/${project}/targets`);
}
