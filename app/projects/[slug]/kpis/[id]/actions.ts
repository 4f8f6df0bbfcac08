"use server";
/** The KPI page's change: a note on the charts, by an editor, with the session's CSRF token (lib/auth/guard.ts). */
import { revalidatePath } from "next/cache";
import { addNote } from "@/lib/annotations/store";
import { authorizeForm, refused } from "@/lib/auth/guard";
import { UserError } from "@/lib/errors/user-error";
import { asSentence } from "@/lib/format/sentence";
import { getServerRuntime } from "@/lib/server/shared-runtime";
import type { ActionAnswer } from "@/app/components/forms/action-form";

const text = (form: FormData, name: string) => String(form.get(name) ?? "");

export async function addNoteAction(_previous: ActionAnswer, form: FormData): Promise<ActionAnswer> {
  const allowed = await authorizeForm(form, "editor");
  if ("error" in allowed) return allowed;
  const { config, store } = await getServerRuntime();
  const project = text(form, "project");
  const kpi = text(form, "kpi");
  const scope = text(form, "scope");
  try {
    const { created } = await addNote(store, config, { project, kpi: scope === "project" ? null : kpi, at: text(form, "at"), text: text(form, "text"), createdBy: allowed.viewer.email! });
    revalidatePath(`/projects/${project}`, "layout");
    return { error: null, done: created ? "Note added." : "This note is already there." };
  } catch (error) {
    if (error instanceof UserError) return refused(asSentence(error.message));
    throw error;
  }
}
