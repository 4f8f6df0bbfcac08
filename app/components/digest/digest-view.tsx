/** The weekly email of a project exactly as subscribers get it, with the viewer's own subscription. */
import { CSRF_FIELD } from "@/lib/auth/csrf";
import type { Viewer } from "@/lib/auth/viewer";
import type { DigestPreview } from "@/lib/digest/preview";
import { shiftDate } from "@/lib/time/window";
import { setSubscriptionAction } from "@/app/projects/[slug]/digest/actions";
import { ActionForm } from "@/app/components/forms/action-form";
import { EmailFrame } from "./email-frame";

export function DigestView({ slug, preview, viewer, subscribed }: { slug: string; preview: DigestPreview; viewer: Viewer; subscribed: boolean }) {
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
      <Subscription project={slug} viewer={viewer} subscribed={subscribed} />
      {/* Sandboxed: the email runs no script here, whatever it contains; its links may open the pages. */}
      <EmailFrame title={`The weekly email: ${preview.subject}`} html={preview.html} />
    </>
  );
}

/** A signed-in user subscribes or unsubscribes themself; others are told how. */
function Subscription({ project, viewer, subscribed }: { project: string; viewer: Viewer; subscribed: boolean }) {
  return (
    <section className="card" id="subscription" aria-label="Subscription">
      {viewer.kind === "user" ? (
        <ActionForm action={setSubscriptionAction}>
          <input type="hidden" name={CSRF_FIELD} value={viewer.csrfToken!} />
          <input type="hidden" name="project" value={project} />
          <input type="hidden" name="subscribe" value={subscribed ? "no" : "yes"} />
          <p>
            {subscribed ? `${viewer.email} gets this email every week. ` : `${viewer.email} does not get this email. `}
            <button type="submit">{subscribed ? "Unsubscribe" : "Subscribe"}</button>
          </p>
        </ActionForm>
      ) : (
        <p className="meta">
          <a href={`/sign-in?next=/projects/${project}/digest`}>Sign in</a> to subscribe yourself, or use{" "}
          <code>shipshape subscribe --project {project} --email ADDRESS</code>. Every email has a link to unsubscribe.
        </p>
      )}
    </section>
  );
}
