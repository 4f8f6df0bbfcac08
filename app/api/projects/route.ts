import { answer } from "@/app/api/respond";

export const dynamic = "force-dynamic";

/** GET /api/projects: the configured projects with their slugs, names and time zones. */
export async function GET(request: Request) {
  return answer(request, "viewer", async ({ config }) =>
    Response.json({ projects: config.projects.map(({ slug, name, timezone }) => ({ slug, name, timezone })) }),
  );
}
