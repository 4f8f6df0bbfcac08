import type { Metadata } from "next";
import { hasRole } from "@/lib/auth/viewer";
import { buildReport } from "@/lib/report/build";
import { openProjectPage } from "@/lib/server/pages";
import { currentTargets, targetHistory } from "@/lib/targets/store";
import { TargetsView } from "@/app/components/targets/targets-view";

export const dynamic = "force-dynamic";

type Params = { params: Promise<{ slug: string }> };

export async function generateMetadata({ params }: Params): Promise<Metadata> {
  return { title: `Targets · ${(await params).slug} · Shipshape` };
}

/** A project's targets: values over the default window (28 days ending yesterday) against the targets in force now, and every change. */
export default async function TargetsPage({ params }: Params) {
  const { viewer, config, store, project } = await openProjectPage((await params).slug);
  const now = new Date();
  const [report, inForce, history] = await Promise.all([
    buildReport(store, config, { project: project.slug, now, targetsAt: now }),
    currentTargets(store, project.slug, now),
    targetHistory(store, project.slug),
  ]);
  const csrfToken = viewer.kind === "user" && hasRole(viewer, "editor") ? viewer.csrfToken : null;
  return <TargetsView project={project} report={report} inForce={inForce} history={history} csrfToken={csrfToken} />;
}
