import { getServerRuntime } from "@/lib/server/shared-runtime";
import { authorize } from "@/lib/auth/guard";

export const dynamic = "force-dynamic";

/** GET /api/projects: the configured projects with their slugs, names and time zones. */
export async function GET(request: Request) {
  const viewer = await authorize(request, "viewer");
  if (viewer instanceof Response) return viewer;
  const { config } = await getServerRuntime();
  return Response.json({ projects: config.projects.map(({ slug, name, timezone }) => ({ slug, name, timezone })) });
}
