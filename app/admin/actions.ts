"use server";
/** The admin page's changes: admins only, with the session's CSRF token. The work is in lib/. */
import { revalidatePath } from "next/cache";
import { authorizeForm } from "@/lib/auth/guard";
import { addUser, removeUser, setRole } from "@/lib/auth/users";
import { UserError } from "@/lib/errors/user-error";
import { createIngestToken, revokeIngestToken } from "@/lib/ingest/tokens";
import { getServerRuntime } from "@/lib/server/shared-runtime";
import { asSentence } from "@/lib/format/sentence";
import type { AdminState } from "@/app/components/admin/admin-form";

const text = (form: FormData, name: string) => String(form.get(name) ?? "").trim();

/** Checks the admin and the CSRF token, runs the change, and turns a UserError into the state's error line. */
async function asAdmin(form: FormData, change: (email: string) => Promise<Omit<AdminState, "error">>): Promise<AdminState> {
  const allowed = await authorizeForm(form, "admin");
  if ("error" in allowed) return { error: allowed.error, notice: null };
  try {
    const state = await change(allowed.viewer.email!);
    revalidatePath("/admin");
    return { error: null, ...state };
  } catch (error) {
    if (error instanceof UserError) return { error: asSentence(error.message), notice: null, values: Object.fromEntries([...form].filter(([key]) => key !== "password" && key !== "csrf_token").map(([key, value]) => [key, String(value)])) };
    throw error;
  }
}

export async function addUserAction(_previous: AdminState, form: FormData): Promise<AdminState> {
  return asAdmin(form, async () => {
    const { store } = await getServerRuntime();
    const user = await addUser(store, { email: text(form, "email"), role: text(form, "role") as never, password: String(form.get("password") ?? "") });
    return { notice: `Added ${user.email} (${user.role}).` };
  });
}

export async function setRoleAction(_previous: AdminState, form: FormData): Promise<AdminState> {
  return asAdmin(form, async () => {
    const { store } = await getServerRuntime();
    const user = await setRole(store, text(form, "email"), text(form, "role"));
    return { notice: `${user.email} is now ${user.role}.` };
  });
}

export async function removeUserAction(_previous: AdminState, form: FormData): Promise<AdminState> {
  return asAdmin(form, async () => {
    const { store } = await getServerRuntime();
    await removeUser(store, text(form, "email"));
    return { notice: `Removed ${text(form, "email")}.` };
  });
}

export async function createTokenAction(_previous: AdminState, form: FormData): Promise<AdminState> {
  return asAdmin(form, async () => {
    const { store } = await getServerRuntime();
    const { id, name, token } = await createIngestToken(store, text(form, "name") || "ingest");
    return { notice: `Token ${id} (${name}) created. Copy it now: it is shown only this once.`, secret: token };
  });
}

export async function revokeTokenAction(_previous: AdminState, form: FormData): Promise<AdminState> {
  return asAdmin(form, async () => {
    const { store } = await getServerRuntime();
    const id = Number(text(form, "id"));
    if (!(await revokeIngestToken(store, id))) throw new UserError(`no ingest token with id ${text(form, "id")}`, "not_found");
    return { notice: `Token ${id} revoked.` };
  });
}

