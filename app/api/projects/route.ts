import { getServerRuntime } from "../../../lib/server-runtime";

export const dynamic = "force-dynamic";

/** GET /api/projects: the configured projects with their slugs, names and time zones. */
export async function GET() {
  const { config } = await getServerRuntime();
  return Response.json({ projects: config.projects.map(({ slug, name, timezone }) => ({ slug, name, timezone })) });
}
