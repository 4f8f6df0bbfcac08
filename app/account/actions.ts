"use server";
/** The signed-in user's own password change; the work is in lib/auth/password-change.ts. */
import { cookies, headers } from "next/headers";
import { authorizeForm } from "@/lib/auth/guard";
import { changeOwnPassword } from "@/lib/auth/password-change";
import { SESSION_COOKIE } from "@/lib/auth/sessions";
import { clientAddress } from "@/lib/server/request-facts";
import { getServerRuntime } from "@/lib/server/shared-runtime";
import type { PasswordFormState } from "@/app/components/account/password-form";

export async function changePasswordAction(_previous: PasswordFormState, form: FormData): Promise<PasswordFormState> {
  const allowed = await authorizeForm(form, "viewer");
  if ("error" in allowed) return { errors: { form: allowed.error }, changed: null };
  const text = (name: string) => String(form.get(name) ?? "");
  const { store } = await getServerRuntime();
  const result = await changeOwnPassword(store, {
    sessionToken: (await cookies()).get(SESSION_COOKIE)?.value,
    current: text("current"),
    next: text("next"),
    repeated: text("repeated"),
    address: clientAddress(await headers()),
  });
  if (!result.ok) return { errors: { [result.field]: result.message }, changed: null };
  const others = result.endedSessions === 1 ? "1 other session was" : `${result.endedSessions} other sessions were`;
  return { errors: {}, changed: `Password changed. ${others} signed out; this one stays signed in.` };
}
