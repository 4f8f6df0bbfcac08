import { beforeEach, expect, it } from "vitest";
import { DELETE, GET, POST, PUT } from "@/app/api/projects/[slug]/targets/route";
import { createSession } from "@/lib/auth/sessions";
import { addUser } from "@/lib/auth/users";
import { setServerRuntime } from "@/lib/server/shared-runtime";
import { describeEachDriver } from "@/test/support/db";
import { testConfig } from "@/test/support/config";

const config = testConfig();
const params = (slug: string) => ({ params: Promise.resolve({ slug }) });
const url = (slug: string, query = "") => `http://localhost/api/projects/${slug}/targets${query}`;

describeEachDriver("targets routes", (store) => {
  /** Headers of a signed-in user's request from the dashboard itself: session cookie, CSRF token, same origin. */
  let editor: Record<string, string>;
  let viewer: Record<string, string>;
  const signedIn = async (email: string, role: "viewer" | "editor") => {
    const user = await addUser(store(), { email, role, password: "correct horse battery" });
    const { token, csrfToken } = await createSession(store(), user.id);
    return { cookie: `shipshape_session=${token}`, "x-csrf-token": csrfToken, origin: "http://localhost", "x-shipshape-site-origin": "http://localhost" };
  };
  const send = (handler: typeof PUT, slug: string, body: string, headers = editor) =>
    handler(new Request(url(slug), { method: "PUT", body, headers: { "content-type": "application/json", ...headers } }), params(slug));
  const remove = (query: string, headers = editor) => DELETE(new Request(url("fraud", query), { method: "DELETE", headers }), params("fraud"));
  const get = (slug: string, headers = viewer) => GET(new Request(url(slug), { headers }), params(slug));

  beforeEach(async () => {
    setServerRuntime({ config, store: store() });
    editor = await signedIn("ed@example.com", "editor");
    viewer = await signedIn("vi@example.com", "viewer");
  });

  it("PUT and POST set a target as the signed-in editor; GET lists the targets in force and the history", async () => {
    const put = await send(PUT, "fraud", JSON.stringify({ kpi: "deployment_frequency", value: 1 }));
    expect(put.status).toBe(200);
    expect(await put.json()).toEqual({ changed: true });
    const post = await send(POST, "fraud", JSON.stringify({ kpi: "data_freshness_lag", dimension: "transactions", value: 6, warn: 2 }));
    expect(await post.json()).toEqual({ changed: true });
    expect(await (await send(PUT, "fraud", JSON.stringify({ kpi: "deployment_frequency", value: 1 }))).json()).toEqual({ changed: false });

    const response = await get("fraud");
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body.targets).toEqual([
      { kpi: "data_freshness_lag", dimension: "transactions", value: 6, warn: 2 },
      { kpi: "deployment_frequency", dimension: null, value: 1, warn: 0.1 },
    ]);
    expect(body.history).toEqual([
      expect.objectContaining({ kpi: "deployment_frequency", dimension: null, setBy: "ed@example.com", old: null, new: { value: 1, warn: null, owner: null, due: null } }),
      expect.objectContaining({ kpi: "data_freshness_lag", dimension: "transactions", setBy: "ed@example.com", new: { value: 6, warn: 2, owner: null, due: null } }),
    ]);
  });

  it("PUT takes an owner and a due date, kept in the history; GET lists them with the target", async () => {
    const target = { kpi: "deployment_frequency", value: 3, owner: "Ana Lima", due: "2027-03-31" };
    expect(await (await send(PUT, "fraud", JSON.stringify(target))).json()).toEqual({ changed: true });
    expect(await (await send(PUT, "fraud", JSON.stringify(target))).json()).toEqual({ changed: false });
    expect(await (await send(PUT, "fraud", JSON.stringify({ ...target, owner: "ana@example.com" }))).json()).toEqual({ changed: true });
    const body = await (await get("fraud")).json();
    expect(body.targets).toEqual([{ kpi: "deployment_frequency", dimension: null, value: 3, warn: 0.3, owner: "ana@example.com", due: "2027-03-31" }]);
    expect(body.history.map((change: { old: unknown; new: unknown }) => [change.old, change.new])).toEqual([
      [null, { value: 3, warn: null, owner: "Ana Lima", due: "2027-03-31" }],
      [{ value: 3, warn: null, owner: "Ana Lima", due: "2027-03-31" }, { value: 3, warn: null, owner: "ana@example.com", due: "2027-03-31" }],
    ]);
  });

  it("DELETE removes a target and keeps the change in the history", async () => {
    await send(PUT, "fraud", JSON.stringify({ kpi: "releases", value: 3 }));
    const removed = await remove("?kpi=releases");
    expect(await removed.json()).toEqual({ changed: true });
    const body = await (await get("fraud")).json();
    expect(body.targets).toEqual([]);
    expect(body.history.map((change: { new: unknown; setBy: string }) => [change.new, change.setBy])).toEqual([
      [{ value: 3, warn: null, owner: null, due: null }, "ed@example.com"],
      [null, "ed@example.com"],
    ]);
  });

  it("answers 401 to no one, 403 to a viewer, to a change without the CSRF token and to one from another site; nothing changes", async () => {
    const body = JSON.stringify({ kpi: "releases", value: 3 });
    const { "x-csrf-token": _, ...withoutToken } = editor;
    const cases: [Response, number, string][] = [
      [await get("fraud", {}), 401, "sign in first"],
      [await send(PUT, "fraud", body, {}), 401, "sign in first"],
      [await send(PUT, "fraud", body, viewer), 403, "this needs the editor role; you are signed in as vi@example.com (viewer)"],
      [await remove("?kpi=releases", viewer), 403, "this needs the editor role; you are signed in as vi@example.com (viewer)"],
      [await send(PUT, "fraud", body, withoutToken), 403, "missing or wrong x-csrf-token header (the session's CSRF token)"],
      [await send(PUT, "fraud", body, { ...editor, "x-csrf-token": viewer["x-csrf-token"]! }), 403, "missing or wrong x-csrf-token header (the session's CSRF token)"],
      [await send(PUT, "fraud", body, { ...editor, origin: "https://elsewhere.example" }), 403, "cross-site request refused"],
    ];
    for (const [response, status, error] of cases) {
      expect(response.status).toBe(status);
      expect(await response.json()).toEqual({ error });
    }
    expect((await (await get("fraud")).json()).history).toEqual([]);

    // Demo mode signs every visitor in as a viewer: reading works, changing does not.
    setServerRuntime({ config: { ...config, demo: true }, store: store() });
    expect((await get("fraud", {})).status).toBe(200);
    const demo = await send(PUT, "fraud", body, {});
    expect([demo.status, await demo.json()]).toEqual([403, { error: "this needs the editor role; you are viewing as the demo viewer" }]);
  });

  it("answers 404 for an unknown project and 400 with one line for a bad body", async () => {
    const cases: [Response, number, string][] = [
      [await get("nope"), 404, 'unknown project "nope" (projects: fraud, churn)'],
      [await send(PUT, "nope", JSON.stringify({ kpi: "releases", value: 3 })), 404, 'unknown project "nope" (projects: fraud, churn)'],
      [await send(PUT, "fraud", "{not json"), 400, "the body must be JSON"],
      [await send(PUT, "fraud", JSON.stringify({ kpi: "releases" })), 400, "value: Invalid input: expected number, received undefined"],
      [await send(PUT, "fraud", JSON.stringify({ kpi: "releases", value: "3" })), 400, "value: Invalid input: expected number, received string"],
      [await send(PUT, "fraud", JSON.stringify({ kpi: "releases", value: 3, valeu: 4 })), 400, 'body: Unrecognized key: "valeu"'],
      [await send(PUT, "fraud", JSON.stringify({ kpi: "releases", value: 3, dimension: "transactions" })), 400, "releases: has no dimensions; leave the dimension out"],
      [await send(PUT, "fraud", JSON.stringify({ kpi: "rework_rate", value: 120 })), 400, "rework_rate: a percentage target must be between 0 and 100"],
      [await send(PUT, "fraud", JSON.stringify({ kpi: "releases", value: 3, owner: "" })), 400, "owner: must not be empty"],
      [await send(PUT, "fraud", JSON.stringify({ kpi: "releases", value: 3, owner: 7 })), 400, "owner: Invalid input: expected string, received number"],
      [await send(PUT, "fraud", JSON.stringify({ kpi: "releases", value: 3, due: "2027-13-01" })), 400, "due: must be a date YYYY-MM-DD"],
      [await remove(""), 400, "kpi: Invalid input: expected string, received undefined"],
    ];
    for (const [response, status, error] of cases) {
      expect(response.status).toBe(status);
      expect(await response.json()).toEqual({ error });
    }
    expect((await (await get("fraud")).json()).history).toEqual([]);
  });
});
