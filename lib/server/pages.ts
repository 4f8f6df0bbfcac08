/**
 * What every page starts with (cal.com's App Router pages: check the viewer, load, render a
 * view): the viewer, the runtime and — for the pages under /projects/SLUG — the project, or
 * Next's 404 page when the slug names none. Pages then load through lib/ and hand the result to
 * a view component in app/components/.
 */
import { notFound } from "next/navigation";
import { requireViewer } from "@/lib/auth/guard";
import type { Viewer } from "@/lib/auth/viewer";
import type { ProjectConfig } from "@/lib/config/load";
import { findProject } from "@/lib/config/projects";
import type { Runtime } from "./runtime";
import { getServerRuntime } from "./shared-runtime";

export interface PageContext extends Runtime {
  viewer: Viewer;
}

/** A page's viewer (or the redirect to sign-in) and the server's runtime. */
export async function openPage(): Promise<PageContext> {
  const viewer = await requireViewer();
  const { config, store } = await getServerRuntime();
  return { viewer, config, store };
}

/** Like openPage, and the project the URL names (a 404 page when there is none). */
export async function openProjectPage(slug: string): Promise<PageContext & { project: ProjectConfig }> {
  const context = await openPage();
  const project = findProject(context.config, slug);
  if (!project) notFound();
  return { ...context, project };
}
