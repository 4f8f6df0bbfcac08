import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { safeNextPath } from "../../lib/auth/next-path";
import { currentViewer } from "../../lib/auth/viewer";
import { SignInForm } from "./sign-in-form";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Sign in · Shipshape" };

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ next?: string | string[] }> }) {
  const next = safeNextPath((await searchParams).next);
  const viewer = await currentViewer();
  if (viewer?.kind === "user") redirect(next);
  return (
    <section className="card narrow" aria-labelledby="sign-in-heading">
      <h1 id="sign-in-heading">Sign in</h1>
      {viewer?.kind === "demo" && <p className="meta">Demo mode: you can look around without signing in. Sign in to edit targets.</p>}
      <SignInForm next={next} />
      <p className="meta">
        No account? An admin adds one with <code>shipshape users add</code> or on the admin page.
      </p>
    </section>
  );
}
