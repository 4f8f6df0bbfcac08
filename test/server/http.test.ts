/**
 * The built server (`shipshape serve`, as `npm start` runs it) over real HTTP (issue 22): the
 * security headers, HOST, the redirect after signing in, refused forms, and bodies that are
 * answered without being read whole. test/browser/hardening.test.ts checks the same pages in Chromium.
 */
import { request as httpRequest } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OPEN_REDIRECTS } from "@/test/auth/open-redirects";
import { shipshapeIn, SERVER_START_TIMEOUT, startServer, type RunningServer } from "@/test/support/server";

const PASSWORD = "correct horse battery";

describe("the built server over HTTP", () => {
  let server: RunningServer;
  let cookie: string;

  beforeAll(async () => {
    server = await startServer(
      { HOST: "127.0.0.1" },
      { prepare: (context) => shipshapeIn(context, ["users", "add", "--email", "ed@example.com", "--role", "editor"], { SHIPSHAPE_PASSWORD: PASSWORD }) },
    );
    const signedIn = await fetch(`${server.url}/api/session`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: server.url },
      body: JSON.stringify({ email: "ed@example.com", password: PASSWORD }),
    });
    cookie = signedIn.headers.get("set-cookie")!.split(";")[0]!;
  }, SERVER_START_TIMEOUT);
  afterAll(async () => server?.stop());

  /** The output lines the server printed since `mark`. */
  const logSince = (mark: number) => server.output().slice(mark).split("\n").filter(Boolean);

  it("sends the security headers, and a fresh nonce on every script of a page", async () => {
    const pages = await Promise.all([fetch(`${server.url}/sign-in`), fetch(`${server.url}/sign-in`)]);
    const policies = pages.map((page) => page.headers.get("content-security-policy")!);
    const nonces = policies.map((policy) => /script-src 'self' 'nonce-([A-Za-z0-9+/=]+)'/.exec(policy)?.[1]);
    expect(nonces[0]).toMatch(/^[A-Za-z0-9+/]{22}==$/);
    expect(nonces[0]).not.toBe(nonces[1]);
    expect(policies[0]!.replace(nonces[0]!, "N").split("; ")).toEqual([
      "default-src 'self'",
      "script-src 'self' 'nonce-N'",
      "style-src 'self' 'unsafe-inline'",
      "img-src 'self' data: blob:",
      "font-src 'self'",
      "connect-src 'self'",
      "object-src 'none'",
      "base-uri 'none'",
      "form-action 'self'",
      "frame-ancestors 'none'",
    ]);
    // Next's inline bootstrap and its chunks carry the nonce: no script tag without it.
    const html = await pages[0]!.text();
    const scripts = html.match(/<script\b[^>]*>/g)!;
    expect(scripts.length).toBeGreaterThan(3);
    expect(scripts.filter((tag) => !tag.includes(`nonce="${nonces[0]}"`))).toEqual([]);

    const chunk = /<script src="(\/_next\/static\/[^"]+\.js)"/.exec(html)![1]!;
    for (const response of [pages[0]!, await fetch(`${server.url}/api/health`), await fetch(`${server.url}${chunk}`), await fetch(`${server.url}/no-such-page`)]) {
      expect([response.url, response.headers.get("x-content-type-options"), response.headers.get("x-frame-options"), response.headers.get("referrer-policy")]).toEqual([
        response.url,
        "nosniff",
        "DENY",
        "same-origin",
      ]);
      expect(response.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
    }
  });

  it("listens only on the address in HOST", async () => {
    const port = new URL(server.url).port;
    expect((await fetch(`http://127.0.0.1:${port}/api/health`)).status).toBe(200);
    // 127.0.0.2 is this machine too, but not the address the server was bound to.
    await expect(fetch(`http://127.0.0.2:${port}/api/health`)).rejects.toThrow();
    expect(server.output()).toContain(`serving http://127.0.0.1:${port}\n`);
  });

  it("never redirects a signed-in user's GET /sign-in?next= off the site", async () => {
    const redirect = async (next: string) => {
      const response = await fetch(`${server.url}/sign-in?next=${encodeURIComponent(next)}`, { headers: { cookie }, redirect: "manual" });
      return [response.status, response.headers.get("location")];
    };
    for (const next of OPEN_REDIRECTS) expect([next, ...(await redirect(next))]).toEqual([next, 307, "/"]);
    expect(await redirect("/projects/fraud-detection?week=2026-03-02")).toEqual([307, "/projects/fraud-detection?week=2026-03-02"]);
  });

  it("never sends the sign-in form's redirect (303) off the site, whatever next the form carries", async () => {
    const form = await signInForm();
    for (const next of OPEN_REDIRECTS) {
      const response = await postForm("/sign-in", { ...form, next, email: "ed@example.com", password: PASSWORD }, { origin: server.url });
      expect([next, response.status, response.headers.get("location")]).toEqual([next, 303, "/"]);
    }
    const good = await postForm("/sign-in", { ...form, next: "/projects/fraud-detection/targets", email: "ed@example.com", password: PASSWORD }, { origin: server.url });
    expect([good.status, good.headers.get("location")]).toEqual([303, "/projects/fraud-detection/targets"]);
  });

  it("refuses a form from another site or a null Origin (403), and one too large (413), in one line each", async () => {
    const form: Record<string, string> = { ...(await signInForm()), email: "ed@example.com", password: PASSWORD };
    const mark = server.output().length;
    const answers = [];
    for (const origin of ["https://evil.example", "null"]) {
      const response = await postForm("/sign-in", form, { origin });
      answers.push([response.status, await response.text(), response.headers.get("set-cookie")]);
    }
    // As the browser's JavaScript sends a Server Action: the same answer.
    const action = JSON.parse(form["$ACTION_1:0"]!).id as string;
    const fetched = await postForm("/sign-in", form, { origin: "https://evil.example", "next-action": action });
    answers.push([fetched.status, await fetched.text(), fetched.headers.get("set-cookie")]);
    const refusal = "This form was sent from another site, so it was refused. Open the page on this site and send it from there.\n";
    expect(answers).toEqual([
      [403, refusal, null],
      [403, refusal, null],
      [403, refusal, null],
    ]);

    const large = await postForm("/sign-in", { ...form, email: "x".repeat(2 * 1024 * 1024) }, { origin: server.url });
    expect([large.status, await large.text()]).toEqual([413, "This form is larger than 64 KiB, so it was refused.\n"]);
    await new Promise((done) => setTimeout(done, 200));
    expect(logSince(mark)).toEqual([
      "shipshape: refused a POST to /sign-in: cross-site (Origin: https://evil.example)",
      "shipshape: refused a POST to /sign-in: cross-site (Origin: null)",
      "shipshape: refused a POST to /sign-in: cross-site (Origin: https://evil.example)",
      expect.stringMatching(/^shipshape: refused a POST to \/sign-in: \d+ bytes, forms take at most 64 KiB$/),
    ]);
  });

  it("answers a 50 MB body to the routes that need no sign-in without waiting for it", async () => {
    const fifty = 50 * 1024 * 1024;
    // Declared 50 MB, 256 KiB sent, then nothing: only a server that does not wait for the body
    // can answer. (The ingest checks its token first: a 401 that reads nothing.)
    for (const [path, status] of [["/api/webhooks/github", 413], ["/api/session", 413], ["/sign-in", 413], ["/api/ingest", 401]] as const) {
      expect([path, await sendThenWait(path, { declare: fifty, send: 256 * 1024 })]).toEqual([path, status]);
    }
    // Streamed without Content-Length, a little past the route's limit, then nothing: refused as counted.
    for (const [path, limit] of [["/api/webhooks/github", 25 * 1024 * 1024], ["/api/session", 64 * 1024]] as const) {
      expect([path, await sendThenWait(path, { send: limit + 512 * 1024 })]).toEqual([path, 413]);
    }
  });

  /** The sign-in page's form fields, as a browser without JavaScript would send them. */
  async function signInForm(): Promise<Record<string, string>> {
    const html = await (await fetch(`${server.url}/sign-in`)).text();
    const fields: Record<string, string> = {};
    for (const [, name, value] of html.matchAll(/<input type="hidden" name="([^"]+)"(?: value="([^"]*)")?\/>/g)) fields[decode(name!)] = decode(value ?? "");
    expect(Object.keys(fields)).toEqual(["$ACTION_REF_1", "$ACTION_1:0", "$ACTION_1:1", "$ACTION_KEY", "next"]);
    return fields;
  }

  function postForm(path: string, fields: Record<string, string>, headers: Record<string, string>) {
    const body = new FormData();
    for (const [name, value] of Object.entries(fields)) body.append(name, value);
    return fetch(`${server.url}${path}`, { method: "POST", body, headers, redirect: "manual" });
  }

  /**
   * POSTs `send` bytes (declaring `declare` as Content-Length, else chunked), then sends nothing
   * more and waits for the answer's status: a server that waited for the rest would never answer.
   */
  function sendThenWait(path: string, { declare, send }: { declare?: number; send: number }): Promise<number> {
    return new Promise((resolve, reject) => {
      const headers: Record<string, string | number> = { "content-type": "application/json", authorization: "Bearer shp_nothing" };
      if (declare) headers["content-length"] = declare;
      const request = httpRequest(`${server.url}${path}`, { method: "POST", headers }, (response) => {
        response.resume();
        resolve(response.statusCode!);
        request.destroy();
      });
      const timer = setTimeout(() => reject(new Error(`${path}: no answer within 60 s: the server waits for the whole body`)), 60_000);
      request.once("close", () => clearTimeout(timer));
      request.on("error", () => {}); // the server may stop reading once it has answered
      request.write(Buffer.alloc(send, 0x20));
    });
  }
});

function decode(text: string): string {
  return text.replace(/&(quot|amp|lt|gt|#x27|#39);/g, (entity) => ({ "&quot;": '"', "&amp;": "&", "&lt;": "<", "&gt;": ">", "&#x27;": "'", "&#39;": "'" })[entity]!);
}
