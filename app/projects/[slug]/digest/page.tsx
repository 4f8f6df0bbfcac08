import { headers } from "next/headers";
import { notFound } from "next/navigation";
import { previewDigest } from "@/lib/digest/preview";
import { isSubscribed } from "@/lib/digest/subscriptions";
import { UserError } from "@/lib/errors/user-error";
import { openPage } from "@/lib/server/pages";
import { DigestView } from "@/app/components/digest/digest-view";

export const dynamic = "force-dynamic";

/** The weekly email of a project, exactly as subscribers get it (charts as data URIs here). */
export default async function DigestPreviewPage({ params, searchParams }: { params: Promise<{ slug: string }>; searchParams: Promise<{ week?: string }> }) {
  const { viewer, config, store } = await openPage();
  const { slug } = await params;
  const { week } = await searchParams;
  const host = (await headers()).get("host") ?? "localhost";
  let preview;
  try {
    preview = await previewDigest(store, config, { project: slug, week: week || undefined, baseUrl: `http://${host}` });
  } catch (error) {
    if (error instanceof UserError && error.kind === "not_found") notFound();
    if (error instanceof UserError) return <p className="empty">{error.message}</p>;
    throw error;
  }
  const subscribed = viewer.kind === "user" && (await isSubscribed(store, slug, viewer.email!));
  return <DigestView slug={slug} preview={preview} viewer={viewer} subscribed={subscribed} />;
}
