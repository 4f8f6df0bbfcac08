/**
 * A project's targets: GET the targets in force and the history of every change; PUT or POST
 * one target (JSON `{"kpi", "dimension"?, "value", "warn"?}`); DELETE one (`?kpi=&dimension=`).
 * Reading needs a viewer; changing needs a signed-in editor (or admin) and the session's CSRF
 * token in X-CSRF-Token. The change is recorded as made by the user's email.
 */
import type { z } from "zod";
import { authorize } from "@/lib/auth/guard";
import {
  currentTargets,
  firstIssue,
  projectOf,
  removeTarget,
  setTarget,
  targetBody,
  targetHistory,
  TargetError,
  targetSelector,
} from "@/lib/targets/targets";
import { BODY_LIMITS, parseJson, readBody } from "@/lib/server/body";
import { getServerRuntime } from "@/lib/server/shared-runtime";

export const dynamic = "force-dynamic";

type Context = { params: Promise<{ slug: string }> };

export async function GET(request: Request, { params }: Context) {
  const { slug } = await params;
  const viewer = await authorize(request, "viewer");
  if (viewer instanceof Response) return viewer;
  return answering(async () => {
    const { config, store } = await getServerRuntime();
    projectOf(config, slug);
    const [inForce, history] = await Promise.all([currentTargets(store, slug), targetHistory(store, slug)]);
    const targets = [...inForce].map(([key, target]) => {
      const [kpi, dimension] = key.split("\u0000") as [string, string];
      return { kpi, dimension: dimension || null, ...target };
    });
    return Response.json({ project: slug, targets, history });
  });
}

export async function PUT(request: Request, { params }: Context) {
  const { slug } = await params;
  const editor = await authorize(request, "editor");
  if (editor instanceof Response) return editor;
  return answering(async () => {
    const { config, store } = await getServerRuntime();
    projectOf(config, slug);
    const bytes = await readBody(request, { limit: BODY_LIMITS.small });
    if (bytes instanceof Response) return bytes;
    const body = parsed(targetBody, jsonBody(bytes));
    const { changed } = await setTarget(store, config, { ...body, project: slug, setBy: editor.email! });
    return Response.json({ changed });
  });
}

export const POST = PUT;

export async function DELETE(request: Request, { params }: Context) {
  const { slug } = await params;
  const editor = await authorize(request, "editor");
  if (editor instanceof Response) return editor;
  return answering(async () => {
    const { config, store } = await getServerRuntime();
    projectOf(config, slug);
    const query = Object.fromEntries(new URL(request.url).searchParams);
    const { changed } = await removeTarget(store, config, { ...parsed(targetSelector, query), project: slug, setBy: editor.email! });
    return Response.json({ changed });
  });
}

function jsonBody(bytes: Buffer): unknown {
  const json = parseJson(bytes);
  if (json === undefined) throw new TargetError("the body must be JSON", "invalid");
  return json;
}

function parsed<T extends z.ZodType>(schema: T, input: unknown): z.output<T> {
  const result = schema.safeParse(input);
  if (!result.success) throw new TargetError(firstIssue(result.error), "invalid");
  return result.data;
}

/** A TargetError becomes 404 (unknown project) or 400 `{"error": "..."}`; anything else 500. */
async function answering(handler: () => Promise<Response>): Promise<Response> {
  try {
    return await handler();
  } catch (error) {
    if (error instanceof TargetError) return Response.json({ error: error.message }, { status: error.reason === "unknown_project" ? 404 : 400 });
    console.error(error);
    return Response.json({ error: "internal error: the targets could not be read or saved (see the server log)" }, { status: 500 });
  }
}
