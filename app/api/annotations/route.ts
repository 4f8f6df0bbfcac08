/**
 * POST /api/annotations: a note on a project's charts, `{"at": "YYYY-MM-DD", "text", "project",
 * "kpi": ID or null}`. Either a machine sends it with an ingest token (Authorization: Bearer;
 * a deploy pipeline noting "moved to the new cluster"), or a signed-in editor with the
 * session's CSRF token in X-CSRF-Token. 201 with the stored note; the exact same note again is
 * 200 with the one already stored.
 */
import { authorize } from "@/lib/auth/guard";
import { addNote, annotationBody } from "@/lib/annotations/store";
import { invalidInput, UserError } from "@/lib/errors/user-error";
import { verifiedIngestToken } from "@/lib/ingest/tokens";
import { BODY_LIMITS, parseJson, readBody } from "@/lib/server/body";
import { getServerRuntime } from "@/lib/server/shared-runtime";
import { respond } from "@/app/api/respond";

export const dynamic = "force-dynamic";

export async function POST(request: Request): Promise<Response> {
  const { config, store } = await getServerRuntime();
  const authorization = request.headers.get("authorization");
  let createdBy: string;
  if (authorization) {
    const token = await verifiedIngestToken(store, authorization, "ingest");
    if (!token) {
      return Response.json(
        { error: "missing or unknown ingest token (Authorization: Bearer <token>; create one with shipshape tokens create)" },
        { status: 401, headers: { "WWW-Authenticate": "Bearer" } },
      );
    }
    createdBy = `token ${token.name}`;
  } else {
    const viewer = await authorize(request, "editor");
    if (viewer instanceof Response) return viewer;
    createdBy = viewer.email ?? viewer.kind;
  }
  return respond(async () => {
    const bytes = await readBody(request, { limit: BODY_LIMITS.small });
    if (bytes instanceof Response) return bytes;
    const json = parseJson(bytes);
    if (json === undefined) throw new UserError("the body must be JSON", "invalid");
    const body = annotationBody.safeParse(json);
    if (!body.success) throw invalidInput(body.error);
    const { annotation, created } = await addNote(store, config, { ...body.data, createdBy });
    return Response.json(annotation, { status: created ? 201 : 200 });
  }, "the note could not be saved");
}
