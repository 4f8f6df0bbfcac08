/**
 * POST /api/annotations (an ingest token, or an editor's session with its CSRF token) and
 * GET /api/projects/SLUG/annotations (a viewer), on both databases: the answers, the refusals
 * as one-line JSON, and that a refused request stores nothing.
 */
import { beforeEach, expect, it } from "vitest";
import { POST } from "@/app/api/annotations/route";
import { GET } from "@/app/api/projects/[slug]/annotations/route";
import { listNotes } from "@/lib/annotations/store";
import { createSession } from "@/lib/auth/sessions";
import { addUser } from "@/lib/auth/users";
import { createIngestToken } from "@/lib/ingest/tokens";
import { BODY_LIMITS } from "@/lib/server/body";
import { setServerRuntime } from "@/lib/server/shared-runtime";
import { describeEachDriver } from "@/test/support/db";
import { testConfig } from "@/test/support/config";

const config = testConfig();
const NOTE = { at: "2026-10-12", text: "moved to the new cluster", project: "fraud", kpi: "lead_time_for_changes" };

describeEachDriver("annotations routes", (store) => {
  let editor: Record<string, string>;
  let viewer: Record<string, string>;
  let bearer: Record<string, string>;
  const signedIn = async (email: string, role: "viewer" | "editor") => {
    const user = await addUser(store(), { email, role, password: "correct horse battery" });
    const { token, csrfToken } = await createSession(store(), user.id);
    return { cookie: `shipshape_session=${token}`, "x-csrf-token": csrfToken, origin: "http://localhost", "x-shipshape-site-origin": "http://localhost" };
  };
  const post = (body: unknown, headers: Record<string, string>) =>
    POST(new Request("http://localhost/api/annotations", { method: "POST", body: typeof body === "string" ? body : JSON.stringify(body), headers: { "content-type": "application/json", ...headers } }));
  const get = (slug: string, query: string, headers = viewer) =>
    GET(new Request(`http://localhost/api/projects/${slug}/annotations${query}`, { headers }), { params: Promise.resolve({ slug }) });

  beforeEach(async () => {
    setServerRuntime({ config, store: store() });
    editor = await signedIn("ed@example.com", "editor");
    viewer = await signedIn("vi@example.com", "viewer");
    bearer = { authorization: `Bearer ${(await createIngestToken(store(), "deploy-pipeline")).token}` };
  });

  it("an editor's session adds a note (201), the same note again is 200 with the stored one; a viewer reads it", async () => {
    const created = await post(NOTE, editor);
    expect(created.status).toBe(201);
    const stored = await created.json();
    expect(stored).toEqual({ kind: "note", ...NOTE, id: 1, created_by: "ed@example.com", created_at: expect.any(String), url: null });
    const again = await post(NOTE, editor);
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual(stored);

    const list = await get("fraud", "?from=2026-10-01&to=2026-10-31");
    expect(list.status).toBe(200);
    expect(await list.json()).toEqual({ project: "fraud", from: "2026-10-01", to: "2026-10-31", timezone: "UTC", annotations: [stored] });
    expect(await (await get("fraud", "?from=2026-10-13&to=2026-10-31")).json()).toMatchObject({ annotations: [] });
  });

  it("an ingest token adds a note for the whole project, recorded as made by the token", async () => {
    const created = await post({ ...NOTE, kpi: null }, bearer);
    expect(created.status).toBe(201);
    expect(await created.json()).toMatchObject({ kpi: null, created_by: "token deploy-pipeline" });
    const withoutKpi = await post({ at: "2026-10-13", text: "rolled back the cluster", project: "fraud" }, bearer);
    expect(await withoutKpi.json()).toMatchObject({ kpi: null, at: "2026-10-13" });
  });

  it("refuses with one line of JSON, and stores nothing: no one, a wrong or read token, a viewer, no CSRF token, another site", async () => {
    const read = { authorization: `Bearer ${(await createIngestToken(store(), "prometheus", "read")).token}` };
    const { "x-csrf-token": _, ...withoutToken } = editor;
    const cases: [Response, number, string][] = [
      [await post(NOTE, {}), 401, "sign in first"],
      [await post(NOTE, { authorization: "Bearer shp_wrong" }), 401, "missing or unknown ingest token (Authorization: Bearer <token>; create one with shipshape tokens create)"],
      [await post(NOTE, read), 401, "missing or unknown ingest token (Authorization: Bearer <token>; create one with shipshape tokens create)"],
      [await post(NOTE, viewer), 403, "this needs the editor role; you are signed in as vi@example.com (viewer)"],
      [await post(NOTE, withoutToken), 403, "missing or wrong x-csrf-token header (the session's CSRF token)"],
      [await post(NOTE, { ...editor, origin: "https://elsewhere.example" }), 403, "cross-site request refused"],
      [await get("fraud", "", {}), 401, "sign in first"],
    ];
    for (const [response, status, error] of cases) {
      expect(response.status).toBe(status);
      expect(await response.json()).toEqual({ error });
    }
    expect(await listNotes(store(), "fraud", "2026-01-01", "2026-12-31")).toEqual([]);
  });

  it("answers 400 for a bad body, 404 for an unknown project, 413 past the size limit", async () => {
    const cases: [unknown, number, string][] = [
      ["not json", 400, "the body must be JSON"],
      [[NOTE], 400, "body: Invalid input: expected object, received array"],
      [{ ...NOTE, at: "12 Oct 2026" }, 400, "at: must be a date YYYY-MM-DD"],
      [{ ...NOTE, text: " " }, 400, "text: must not be empty"],
      [{ ...NOTE, text: "x".repeat(281) }, 400, "text: must be at most 280 characters"],
      [{ ...NOTE, kpi: "velocity" }, 400, expect.stringMatching(/^unknown KPI "velocity" \(one of /) as unknown as string],
      [{ ...NOTE, colour: "red" }, 400, 'body: Unrecognized key: "colour"'],
      [{ ...NOTE, project: "nope" }, 404, 'unknown project "nope" (projects: fraud, churn)'],
    ];
    for (const [body, status, error] of cases) {
      const response = await post(body, bearer);
      expect([response.status, await response.json()]).toEqual([status, { error }]);
    }
    const huge = await post({ ...NOTE, text: "x".repeat(BODY_LIMITS.small) }, editor);
    expect(huge.status).toBe(413);
    expect(await get("nope", "")).toHaveProperty("status", 404);
    const backwards = await get("fraud", "?from=2026-10-31&to=2026-10-01");
    expect([backwards.status, await backwards.json()]).toEqual([400, { error: "from (2026-10-31) is after to (2026-10-01)" }]);
    expect(await listNotes(store(), "fraud", "2026-01-01", "2026-12-31")).toEqual([]);
  });
});
