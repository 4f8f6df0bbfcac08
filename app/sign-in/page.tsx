import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { safeNextPath } from "@/lib/auth/next-path";
import { hasUsers } from "@/lib/auth/users";
import { currentViewer } from "@/lib/auth/viewer";
import { getServerRuntime } from "@/lib/server/shared-runtime";
import { SignInForm } from "@/app/components/sign-in/sign-in-form";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Sign in · Shipshape" };

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ next?: string | string[] }> }) {
  const next = safeNextPath((await searchParams).next);
  const viewer = await currentViewer();
  if (viewer?.kind === "user") redirect(next);
  const { store } = await getServerRuntime();
  const anyAccount = await hasUsers(store);
  return (
    <section className="card narrow" aria-labelledby="sign-in-heading">
      <h1 id="sign-in-heading">Sign in</h1>
      {viewer?.kind === "demo" && <p className="meta">Demo mode: you can look around without signing in. Sign in to edit targets.</p>}
      <SignInForm next={next} />
      <p className="meta">
        {anyAccount ? (
          <>No account? An admin adds one on the admin page or with <code>shipshape users add</code>.</>
        ) : (
          <>
            There are no accounts yet. Add the first admin on the server with{" "}
            <code>shipshape users add --email you@example.com --role admin</code> (docs/accounts.md).
          </>
        )}
      </p>
    </section>
  );
}
