/** The session routes and the read routes' guard, through their handlers with real Requests. */
import { beforeEach, expect, it } from "vitest";
import { DELETE, GET, POST } from "@/app/api/session/route";
import { GET as getProjects } from "@/app/api/projects/route";
import { GET as getSources } from "@/app/api/sources/route";
import { GET as getReport } from "@/app/api/projects/[slug]/kpis/route";
import { GET as getCsv } from "@/app/api/projects/[slug]/kpis.csv/route";
import { GET as getEvents } from "@/app/api/projects/[slug]/kpis/[id]/events/route";
import { GET as getTrends } from "@/app/api/projects/[slug]/trends/route";
import { GET as getDigest } from "@/app/api/projects/[slug]/digest/route";
import { addUser } from "@/lib/auth/users";
import { setServerRuntime } from "@/lib/server/shared-runtime";
import { describeEachDriver } from "@/test/support/db";
import { testConfig } from "@/test/support/config";

const config = testConfig();
const PASSWORD = "correct horse battery";
const SITE = "http://localhost";
const session = (method: string, headers: Record<string, string> = {}, body?: unknown) =>
  new Request(`${SITE}/api/session`, {
    method,
    headers: { "x-shipshape-site-origin": SITE, "x-shipshape-client-address": "10.0.0.1", "content-type": "application/json", ...headers },
    body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
  });
const signIn = (email: string, password: string, headers: Record<string, string> = {}) => POST(session("POST", { origin: SITE, ...headers }, { email, password }));
const cookieOf = (response: Response) => response.headers.get("set-cookie")!.split(";")[0]!;

describeEachDriver("session routes", (store) => {
  beforeEach(async () => {
    setServerRuntime({ config, store: store() });
    await addUser(store(), { email: "ed@example.com", role: "editor", password: PASSWORD });
  });

  it("POST signs in and sets an HttpOnly, SameSite=Lax session cookie; GET says who; DELETE with the CSRF token signs out", async () => {
    const response = await signIn("Ed@Example.com", PASSWORD);
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body).toEqual({ email: "ed@example.com", role: "editor", kind: "user", csrf_token: expect.stringMatching(/^[\w-]{43}$/) });
    const setCookie = response.headers.get("set-cookie")!;
    expect(setCookie).toMatch(/^shipshape_session=[\w-]{43}; Path=\/; Expires=.+; HttpOnly; SameSite=lax$/i);
    expect(setCookie).not.toMatch(/Secure/i); // plain http: a Secure cookie would never come back

    const cookie = cookieOf(response);
    const who = await GET(session("GET", { cookie }));
    expect(await who.json()).toEqual({ email: "ed@example.com", role: "editor", kind: "user", csrf_token: body.csrf_token });

    expect((await DELETE(session("DELETE", { cookie }))).status).toBe(403); // no CSRF token
    const out = await DELETE(session("DELETE", { cookie, "x-csrf-token": body.csrf_token }));
    expect(out.status).toBe(200);
    expect(out.headers.get("set-cookie")).toMatch(/^shipshape_session=; Path=\/; Max-Age=0; HttpOnly; SameSite=lax$/i);
    expect((await GET(session("GET", { cookie }))).status).toBe(401);
  });

  it("marks the cookie Secure when the site is served over https", async () => {
    const response = await signIn("ed@example.com", PASSWORD, { "x-shipshape-site-origin": "https://kpis.example.com", origin: "https://kpis.example.com" });
    expect(response.status).toBe(200);
    expect(response.headers.get("set-cookie")).toMatch(/; Secure/i);
  });

  it("answers 401 for a wrong password, 429 once an email has failed 5 times, 400 for a bad body, 403 from another site", async () => {
    for (let i = 0; i < 5; i++) {
      const wrong = await signIn("ed@example.com", "wrong password");
      expect([wrong.status, await wrong.json(), wrong.headers.get("set-cookie")]).toEqual([401, { error: "Wrong email or password." }, null]);
    }
    const limited = await signIn("ed@example.com", PASSWORD);
    expect([limited.status, await limited.json()]).toEqual([429, { error: "Too many failed sign-in attempts. Try again in 15 minutes." }]);
    expect(limited.headers.get("set-cookie")).toBeNull();
    expect(limited.headers.get("retry-after")).toBe("900");

    const bad = await POST(session("POST", {}, "{nope"));
    expect([bad.status, await bad.json()]).toEqual([400, { error: 'the body must be JSON {"email": "...", "password": "..."}' }]);
    const forged = await signIn("ed@example.com", PASSWORD, { origin: "https://evil.example" });
    expect([forged.status, await forged.json()]).toEqual([403, { error: "cross-site request refused" }]);
  });

  it("the read routes answer 401 to no one and serve a signed-in viewer", async () => {
    const slug = { params: Promise.resolve({ slug: "fraud" }) };
    const read = (path: string, headers: Record<string, string> = {}) => new Request(`${SITE}${path}`, { headers });
    const anonymous = [
      await getProjects(read("/api/projects")),
      await getSources(read("/api/sources")),
      await getReport(read("/api/projects/fraud/kpis"), slug),
      await getCsv(read("/api/projects/fraud/kpis.csv"), slug),
      await getEvents(read("/api/projects/fraud/kpis/releases/events"), { params: Promise.resolve({ slug: "fraud", id: "releases" }) }),
      await getTrends(read("/api/projects/fraud/trends"), slug),
      await getDigest(read("/api/projects/fraud/digest?format=text"), slug),
    ];
    for (const response of anonymous) expect([response.status, await response.json()]).toEqual([401, { error: "sign in first" }]);

    const cookie = cookieOf(await signIn("ed@example.com", PASSWORD));
    const projects = await getProjects(read("/api/projects", { cookie }));
    expect(projects.status).toBe(200);
    expect((await projects.json()).projects.map((p: { slug: string }) => p.slug)).toEqual(["fraud", "churn"]);
    expect((await getReport(read("/api/projects/fraud/kpis", { cookie }), slug)).status).toBe(200);
  });
});
