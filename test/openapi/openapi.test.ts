/**
 * GET /api/openapi.json: a valid OpenAPI 3.1 document (checked against the specification's
 * own JSON Schema), true to the routes (every route file's methods under app/api/ and /metrics
 * are in it, and nothing else is), and true to the answers: real responses of the handlers, on
 * both databases, validate against the response schemas it declares.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { Validator } from "@seriousme/openapi-schema-validator";
import Ajv2020 from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { POST as postAnnotation } from "@/app/api/annotations/route";
import { GET as getAnnotations } from "@/app/api/projects/[slug]/annotations/route";
import { GET as getOpenApi } from "@/app/api/openapi.json/route";
import { GET as getHealth } from "@/app/api/health/route";
import { POST as postIngest } from "@/app/api/ingest/route";
import { GET as getProjects } from "@/app/api/projects/route";
import { GET as getReport } from "@/app/api/projects/[slug]/kpis/route";
import { GET as getEvents } from "@/app/api/projects/[slug]/kpis/[id]/events/route";
import { GET as getCsv } from "@/app/api/projects/[slug]/kpis.csv/route";
import { GET as getTargets } from "@/app/api/projects/[slug]/targets/route";
import { GET as getTrends } from "@/app/api/projects/[slug]/trends/route";
import { GET as getSession } from "@/app/api/session/route";
import { GET as getSources } from "@/app/api/sources/route";
import { POST as postWebhook } from "@/app/api/webhooks/github/route";
import { createIngestToken } from "@/lib/ingest/tokens";
import { openApiDocument } from "@/lib/openapi/document";
import { setServerRuntime } from "@/lib/server/shared-runtime";
import { setTarget } from "@/lib/targets/store";
import { describeEachDriver } from "@/test/support/db";
import { deployment, insertDeployments } from "@/test/support/records";
import { CONFIG_YAML, testConfig } from "@/test/support/config";

type Document = ReturnType<typeof openApiDocument>;
const METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"] as const;

/** Every route file under app/api/ as [OpenAPI path, method]: `[slug]` becomes `{slug}`. */
function routesOnDisk(): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name === "route.ts") {
        const route = `/${relative("app", dir)}`.replace(/\[(\w+)\]/g, "{$1}");
        const source = readFileSync(path, "utf8");
        for (const method of METHODS) {
          if (new RegExp(`export (async )?(function|const) ${method}\\b`).test(source)) found.push(`${method.toLowerCase()} ${route}`);
        }
      }
    }
  };
  walk("app/api");
  walk("app/metrics");
  return found.sort();
}

/** A validator of the schemas the document declares, its $refs resolved inside it. */
function responseValidator(document: Document) {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema(JSON.parse(JSON.stringify(document).replaceAll('"#/components/', '"openapi#/components/')), "openapi");
  return async (method: string, path: string, response: Response) => {
    const operation = (document.paths as Record<string, Record<string, { responses: Record<string, { content?: Record<string, unknown> }> }>>)[path]?.[method];
    expect(operation, `${method} ${path} is in the document`).toBeDefined();
    const declared = operation!.responses[String(response.status)];
    expect(declared, `${method} ${path} declares ${response.status}`).toBeDefined();
    const mediaType = (response.headers.get("content-type") ?? "").split(";")[0]!.trim();
    if (!declared!.content) return;
    expect(Object.keys(declared!.content), `${method} ${path} ${response.status} declares ${mediaType}`).toContain(mediaType);
    if (mediaType !== "application/json") return;
    const pointer = ["paths", path, method, "responses", String(response.status), "content", mediaType, "schema"].map((part) => part.replaceAll("~", "~0").replaceAll("/", "~1")).join("/");
    const validate = ajv.getSchema(`openapi#/${pointer}`)!;
    const body: unknown = await response.json();
    expect(validate(body) ? [] : validate.errors, `${method} ${path} ${response.status}`).toEqual([]);
  };
}

describe("the OpenAPI document", () => {
  it("is a valid OpenAPI 3.1 document", async () => {
    const response = getOpenApi();
    expect(response.headers.get("content-type")).toMatch(/^application\/json/);
    const document = (await response.json()) as Document;
    expect(document.openapi).toBe("3.1.0");
    const result = await new Validator().validate(document as unknown as Parameters<Validator["validate"]>[0]);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it("has exactly the routes of app/api/ and /metrics, each method", () => {
    const documented = Object.entries(openApiDocument().paths ?? {})
      .flatMap(([path, item]) => Object.keys(item as object).filter((key) => METHODS.includes(key.toUpperCase() as never)).map((method) => `${method} ${path}`))
      .sort();
    expect(documented).toEqual(routesOnDisk());
    expect(routesOnDisk()).toContain("get /api/projects/{slug}/kpis");
  });

  it("takes its request schemas from the routes' own zod schemas", () => {
    const kpis = openApiDocument().paths!["/api/projects/{slug}/kpis"]!.get!;
    expect((kpis.parameters as { name: string; in: string }[]).map((p) => `${p.in}:${p.name}`)).toEqual(["path:slug", "query:from", "query:to", "query:tz"]);
    const trends = openApiDocument().paths!["/api/projects/{slug}/trends"]!.get!;
    expect((trends.parameters as { name: string }[]).map((p) => p.name)).toEqual(["slug", "weeks", "until", "kpis"]);
  });
});

const config = testConfig(`${CONFIG_YAML}sources:\n  deploy_logs: { paths: [logs/*.jsonl] }\n`);
const request = (path: string, init?: RequestInit) => new Request(`http://localhost${path}`, init);
const params = <T extends Record<string, string>>(values: T) => ({ params: Promise.resolve(values) });

beforeAll(() => vi.stubEnv("SHIPSHAPE_PUBLIC_READ", "1"));
afterAll(() => vi.unstubAllEnvs());

describeEachDriver("real answers against the OpenAPI document", (store) => {
  const check = responseValidator(openApiDocument());
  const window = "from=2026-03-01&to=2026-03-10";

  it("the read routes' answers validate, errors too", async () => {
    setServerRuntime({ config, store: store() });
    await insertDeployments(store(), [deployment("d1", "2026-03-02T12:00:00Z"), deployment("d2", "2026-03-04T12:00:00Z", { status: "rolled_back" })]);
    await setTarget(store(), config, { project: "fraud", kpi: "deployment_frequency", value: 0.5, setBy: "po" }, new Date("2026-02-01T00:00:00Z"));

    await check("get", "/api/health", await getHealth());
    await check("get", "/api/projects", await getProjects(request("/api/projects")));
    await check("get", "/api/projects/{slug}/kpis", await getReport(request(`/api/projects/fraud/kpis?${window}`), params({ slug: "fraud" })));
    await check("get", "/api/projects/{slug}/kpis", await getReport(request("/api/projects/nope/kpis"), params({ slug: "nope" })));
    await check("get", "/api/projects/{slug}/kpis", await getReport(request("/api/projects/fraud/kpis?from=2026-02-30"), params({ slug: "fraud" })));
    await check("get", "/api/projects/{slug}/kpis.csv", await getCsv(request(`/api/projects/fraud/kpis.csv?${window}`), params({ slug: "fraud" })));
    const events = await getEvents(request(`/api/projects/fraud/kpis/change_failure_rate/events?${window}`), params({ slug: "fraud", id: "change_failure_rate" }));
    expect(events.status).toBe(200);
    await check("get", "/api/projects/{slug}/kpis/{id}/events", events);
    await check("get", "/api/projects/{slug}/trends", await getTrends(request("/api/projects/fraud/trends?weeks=2&until=2026-03-10"), params({ slug: "fraud" })));
    await check("get", "/api/projects/{slug}/targets", await getTargets(request("/api/projects/fraud/targets"), params({ slug: "fraud" })));
    await check("get", "/api/projects/{slug}/annotations", await getAnnotations(request(`/api/projects/fraud/annotations?${window}`), params({ slug: "fraud" })));
    await check("get", "/api/projects/{slug}/annotations", await getAnnotations(request("/api/projects/fraud/annotations?from=2026-3-1"), params({ slug: "fraud" })));
    await check("get", "/api/sources", await getSources(request("/api/sources")));
    await check("get", "/api/session", await getSession(request("/api/session")));
    await check("get", "/api/openapi.json", getOpenApi());
  });

  it("the ingest and webhook routes' answers validate: accepted, partly rejected, refused", async () => {
    setServerRuntime({ config, store: store() });
    const { token } = await createIngestToken(store(), "ci");
    const post = (body: string, authorization = `Bearer ${token}`) =>
      postIngest(request("/api/ingest", { method: "POST", body, headers: { authorization, "content-type": "application/x-ndjson" } }));
    const good = JSON.stringify({ type: "deployment", id: "x1", service: "fraud-api", environment: "production", status: "success", finished_at: "2026-03-02T00:00:00Z" });
    const accepted = await post(good);
    expect(accepted.status).toBe(200);
    await check("post", "/api/ingest", accepted);
    const partly = await post(`${good}\nnot json`);
    expect(partly.status).toBe(207);
    await check("post", "/api/ingest", partly);
    await check("post", "/api/ingest", await post(good, "Bearer wrong"));
    const note = (body: unknown, authorization = `Bearer ${token}`) =>
      postAnnotation(request("/api/annotations", { method: "POST", body: JSON.stringify(body), headers: { authorization, "content-type": "application/json" } }));
    const body = { at: "2026-03-03", text: "moved to the new cluster", project: "fraud", kpi: null };
    for (const [answer, status] of [[await note(body), 201], [await note(body), 200], [await note({ ...body, at: "3 March" }), 400], [await note({ ...body, project: "nope" }), 404], [await note(body, "Bearer wrong"), 401]] as const) {
      expect(answer.status).toBe(status);
      await check("post", "/api/annotations", answer);
    }
    await check("get", "/api/projects/{slug}/annotations", await getAnnotations(request(`/api/projects/fraud/annotations?${window}`), params({ slug: "fraud" })));
    const webhook = await postWebhook(request("/api/webhooks/github", { method: "POST", body: "{}", headers: { "x-github-event": "ping" } }));
    expect(webhook.status).toBe(404);
    await check("post", "/api/webhooks/github", webhook);
  });
});
