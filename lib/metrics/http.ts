/**
 * GET /metrics over HTTP: a scraper sends `Authorization: Bearer <read token>` (shipshape tokens
 * create --scope read); without a bearer token the request is read like any page — allowed with
 * SHIPSHAPE_PUBLIC_READ=1, in demo mode, or from a signed-in session.
 */
import type { Store } from "@/db/client";
import type { Config } from "@/lib/config/load";
import { authorize } from "@/lib/auth/guard";
import { verifyIngestToken } from "@/lib/ingest/tokens";
import { metricsExposition, negotiateFormat } from "./prometheus";

const plain = (status: number, line: string) => new Response(`${line}\n`, { status, headers: { "content-type": "text/plain; charset=utf-8" } });

export async function handleMetricsRequest(store: Store, config: Config, request: Request): Promise<Response> {
  const authorization = request.headers.get("authorization");
  if (authorization) {
    if (!(await verifyIngestToken(store, authorization, "read"))) {
      return plain(401, "GET /metrics: the bearer token is not a read token (shipshape tokens create --scope read)");
    }
  } else {
    const viewer = await authorize(request, "viewer");
    if (viewer instanceof Response) return plain(viewer.status, "GET /metrics: send Authorization: Bearer <read token>, or set SHIPSHAPE_PUBLIC_READ=1");
  }
  const { contentType, body } = await metricsExposition(store, config, negotiateFormat(request.headers.get("accept")));
  return new Response(body, { status: 200, headers: { "content-type": contentType } });
}
