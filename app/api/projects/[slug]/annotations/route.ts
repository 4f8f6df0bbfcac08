/**
 * GET /api/projects/SLUG/annotations?from=&to=: the marks on the project's charts between two
 * days — notes people added and the events marked from the stored records (target changes,
 * releases, model versions reaching production), each with its kind (lib/annotations/).
 */
import { projectAnnotations } from "@/lib/annotations/store";
import { answer } from "@/app/api/respond";

export const dynamic = "force-dynamic";

export async function GET(request: Request, { params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  return answer(request, "viewer", async ({ store, config }) => {
    const query = new URL(request.url).searchParams;
    const value = (name: string) => query.get(name) || undefined;
    return Response.json(await projectAnnotations(store, config, { project: slug, from: value("from"), to: value("to") }));
  }, "the annotations could not be read");
}
