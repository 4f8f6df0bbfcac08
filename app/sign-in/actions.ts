"use server";
/** Signing in and out from the pages; the work is in lib/auth. */
import { cookies, headers } from "next/headers";
import { redirect } from "next/navigation";
import { sameSite } from "@/lib/auth/csrf";
import { authorizeForm } from "@/lib/auth/guard";
import { safeNextPath } from "@/lib/auth/next-path";
import { endSession, SESSION_COOKIE, sessionCookieOptions } from "@/lib/auth/sessions";
import { signIn } from "@/lib/auth/sign-in";
import { clientAddress, isHttps } from "@/lib/server/request-facts";
import { getServerRuntime } from "@/lib/server/shared-runtime";

export interface SignInState {
  error: string | null;
  email: string;
}

export async function signInAction(_previous: SignInState, form: FormData): Promise<SignInState> {
  const email = String(form.get("email") ?? "").trim();
  const password = String(form.get("password") ?? "");
  if (!email || !password) return { error: "Enter your email and password.", email };
  const requestHeaders = await headers();
  if (!sameSite(requestHeaders)) return { error: "This form was sent from another site.", email };
  const { store } = await getServerRuntime();
  const result = await signIn(store, { email, password, address: clientAddress(requestHeaders) });
  if (!result.ok) return { error: result.message, email };
  (await cookies()).set(SESSION_COOKIE, result.token, sessionCookieOptions(isHttps(requestHeaders), result.expiresAt));
  redirect(safeNextPath(form.get("next")));
}

export async function signOutAction(form: FormData): Promise<void> {
  const allowed = await authorizeForm(form, "viewer");
  if ("viewer" in allowed) {
    const jar = await cookies();
    const { store } = await getServerRuntime();
    await endSession(store, jar.get(SESSION_COOKIE)?.value);
    jar.set(SESSION_COOKIE, "", sessionCookieOptions(isHttps(await headers())));
  }
  redirect("/sign-in");
}
