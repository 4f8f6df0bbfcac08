/**
 * A project's targets: GET the targets in force and the history of every change; PUT or POST
 * one target (JSON `{"kpi", "dimension"?, "value", "warn"?}`); DELETE one (`?kpi=&dimension=`).
 * Reading needs a viewer; changing needs a signed-in editor (or admin) and the session's CSRF
 * token in X-CSRF-Token. The change is recorded as made by the user's email.
 */
import type { z } from "zod";
import { projectOf } from "@/lib/config/projects";
import { invalidInput, UserError } from "@/lib/errors/user-error";
import { currentTargets, removeTarget, setTarget, targetHistory } from "@/lib/targets/store";
import { targetBody, targetSelector } from "@/lib/targets/validation";
import { BODY_LIMITS, parseJson, readBody } from "@/lib/server/body";
import { answer } from "@/app/api/respond";

/** What a 500 says could not be done. */
const FAILED = "the targets could not be read or saved";

export const dynamic = "force-dynamic";

type Context = { params: Promise<{ slug: string }> };

export async function GET(request: Request, { params }: Context) {
  const { slug } = await params;
  return answer(request, "viewer", async ({ config, store }) => {
    projectOf(config, slug);
    const [inForce, history] = await Promise.all([currentTargets(store, slug), targetHistory(store, slug)]);
    const targets = inForce.entries().map(({ kpi, dimension, target }) => ({ kpi, dimension, ...target }));
    return Response.json({ project: slug, targets, history });
  }, FAILED);
}

export async function PUT(request: Request, { params }: Context) {
  const { slug } = await params;
  return answer(request, "editor", async ({ viewer, config, store }) => {
    projectOf(config, slug);
    const bytes = await readBody(request, { limit: BODY_LIMITS.small });
    if (bytes instanceof Response) return bytes;
    const body = parsed(targetBody, jsonBody(bytes));
    const { changed } = await setTarget(store, config, { ...body, project: slug, setBy: viewer.email! });
    return Response.json({ changed });
  }, FAILED);
}

export const POST = PUT;

export async function DELETE(request: Request, { params }: Context) {
  const { slug } = await params;
  return answer(request, "editor", async ({ viewer, config, store }) => {
    projectOf(config, slug);
    const query = Object.fromEntries(new URL(request.url).searchParams);
    const { changed } = await removeTarget(store, config, { ...parsed(targetSelector, query), project: slug, setBy: viewer.email! });
    return Response.json({ changed });
  }, FAILED);
}

function jsonBody(bytes: Buffer): unknown {
  const json = parseJson(bytes);
  if (json === undefined) throw new UserError("the body must be JSON", "invalid");
  return json;
}

function parsed<T extends z.ZodType>(schema: T, input: unknown): z.output<T> {
  const result = schema.safeParse(input);
  if (!result.success) throw invalidInput(result.error);
  return result.data;
}
