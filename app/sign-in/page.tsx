import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { safeNextPath } from "@/lib/auth/next-path";
import { hasUsers } from "@/lib/auth/users";
import { currentViewer } from "@/lib/auth/viewer";
import { getServerRuntime } from "@/lib/server/shared-runtime";
import { SignInView } from "@/app/components/sign-in/sign-in-view";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Sign in · Shipshape" };

/** The one page open to everyone (no openPage()): a signed-in user goes straight on to `next`. */
export default async function SignInPage({ searchParams }: { searchParams: Promise<{ next?: string | string[] }> }) {
  const next = safeNextPath((await searchParams).next);
  const viewer = await currentViewer();
  if (viewer?.kind === "user") redirect(next);
  const { store } = await getServerRuntime();
  return <SignInView next={next} demo={viewer?.kind === "demo"} anyAccount={await hasUsers(store)} />;
}
