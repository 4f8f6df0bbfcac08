import { headers } from "next/headers";
import { notFound } from "next/navigation";
import { previewDigest } from "../../../../lib/digest/preview";
import { shiftDate } from "../../../../lib/kpis/window";
import { ReportError } from "../../../../lib/report";
import { getServerRuntime } from "../../../../lib/server-runtime";

export const dynamic = "force-dynamic";

/** The weekly email of a project, exactly as subscribers get it (charts as data URIs here). */
export default async function DigestPreviewPage({ params, searchParams }: { params: Promise<{ slug: string }>; searchParams: Promise<{ week?: string }> }) {
  const { slug } = await params;
  const { week } = await searchParams;
  const { store, config } = await getServerRuntime();
  const host = (await headers()).get("host") ?? "localhost";
  let preview;
  try {
    preview = await previewDigest(store, config, { project: slug, week: week || undefined, baseUrl: `http://${host}` });
  } catch (error) {
    if (error instanceof ReportError && error.kind === "not_found") notFound();
    if (error instanceof ReportError) return <p className="empty">{error.message}</p>;
    throw error;
  }
  const { summary } = preview;
  const monday = summary.week.from;
  return (
    <>
      <h1>{summary.project.name}: weekly email</h1>
      <p className="meta">
        Week of {monday} to {summary.week.to} ({summary.project.timezone}) · <a href={`?week=${shiftDate(monday, -7)}`}>previous week</a> ·{" "}
        <a href={`?week=${shiftDate(monday, 7)}`}>next week</a> · <a href={`/api/projects/${slug}/digest?week=${monday}&format=text`}>plain-text part</a>
      </p>
      <p>
        <strong>Subject:</strong> {preview.subject}
      </p>
      {/* Lead, at merge: the signed-in viewer's subscribe / unsubscribe button goes in this section
          (currentViewer() from lib/auth/viewer.ts; isSubscribed / subscribe / unsubscribe from lib/digest/subscriptions.ts). */}
      <section className="card" id="subscription" aria-label="Subscription">
        <p className="meta">
          Subscribe to this email with <code>shipshape subscribe --project {slug} --email ADDRESS</code>; every email has a link to unsubscribe.
        </p>
      </section>
      <iframe title={`The weekly email: ${preview.subject}`} srcDoc={preview.html} style={{ width: "100%", height: "1500px", border: "1px solid #e5e7eb", borderRadius: 8 }} />
    </>
  );
}
