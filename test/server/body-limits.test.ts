/**
 * Every route that reads a body caps it (issue 22): past the route's limit it answers 413 —
 * by Content-Length before reading, or once the streamed bytes pass the limit — and a
 * Content-Encoding a route does not decompress is 415. Through the route handlers with real
 * Requests; test/server/http.test.ts sends the same over real HTTP to the built server.
 */
import { gzipSync } from "node:zlib";
import { beforeEach, expect, it } from "vitest";
import { POST as postSession } from "@/app/api/session/route";
import { POST as postWebhook } from "@/app/api/webhooks/github/route";
import { PUT as putTarget } from "@/app/api/projects/[slug]/targets/route";
import { POST as postUnsubscribe } from "@/app/api/unsubscribe/route";
import { POST as postIngest } from "@/app/api/ingest/route";
import { createSession } from "@/lib/auth/sessions";
import { addUser } from "@/lib/auth/users";
import { createIngestToken } from "@/lib/ingest/tokens";
import { BODY_LIMITS } from "@/lib/server/body";
import { setServerRuntime } from "@/lib/server/shared-runtime";
import { describeEachDriver } from "@/test/support/db";
import { testConfig } from "@/test/support/config";

const SITE = "http://localhost";
const slug = { params: Promise.resolve({ slug: "fraud" }) };

/** A body of `bytes` bytes streamed in 64 KiB chunks, with no Content-Length; `sent()` says how much was pulled. */
function streamed(bytes: number) {
  const chunk = new Uint8Array(64 * 1024).fill(0x20);
  let sent = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent >= bytes) return controller.close();
      sent += chunk.byteLength;
      controller.enqueue(chunk);
    },
  });
  return { body, sent: () => sent };
}

describeEachDriver("request body limits", (store) => {
  let headers: Record<string, Record<string, string>>;
  beforeEach(async () => {
    setServerRuntime({ config: testConfig(), store: store() });
    const user = await addUser(store(), { email: "ed@example.com", role: "editor", password: "correct horse battery" });
    const { token, csrfToken } = await createSession(store(), user.id);
    const editor = { cookie: `shipshape_session=${token}`, "x-csrf-token": csrfToken, origin: SITE, "x-shipshape-site-origin": SITE };
    headers = { session: {}, webhook: { "x-hub-signature-256": "sha256=00" }, target: editor, unsubscribe: {}, ingest: { authorization: `Bearer ${(await createIngestToken(store(), "ci")).token}` } };
  });

  const routes = [
    { name: "session", limit: BODY_LIMITS.small, send: (init: RequestInit) => postSession(new Request(`${SITE}/api/session`, { method: "POST", ...init })) },
    { name: "webhook", limit: BODY_LIMITS.webhook, send: (init: RequestInit) => postWebhook(new Request(`${SITE}/api/webhooks/github`, { method: "POST", ...init })) },
    { name: "target", limit: BODY_LIMITS.small, send: (init: RequestInit) => putTarget(new Request(`${SITE}/api/projects/fraud/targets`, { method: "PUT", ...init }), slug) },
    { name: "unsubscribe", limit: BODY_LIMITS.small, send: (init: RequestInit) => postUnsubscribe(new Request(`${SITE}/api/unsubscribe?token=x`, { method: "POST", ...init })) },
    { name: "ingest", limit: BODY_LIMITS.ingest, send: (init: RequestInit) => postIngest(new Request(`${SITE}/api/ingest`, { method: "POST", ...init })) },
  ];

  it("answers 413 by Content-Length without reading, and once a streamed body passes the limit", async () => {
    for (const route of routes) {
      const declared = await route.send({ body: "{}", headers: { ...headers[route.name], "content-length": String(route.limit + 1) } });
      expect([route.name, declared.status]).toEqual([route.name, 413]);
      expect((await declared.json()).error).toMatch(/^the body is larger than (64 KiB|10 MiB|25 MiB)/);

      const stream = streamed(route.limit * 4);
      const flowing = await route.send({ body: stream.body, headers: headers[route.name], duplex: "half" } as RequestInit);
      expect([route.name, flowing.status]).toEqual([route.name, 413]);
      // Stopped at the limit, give or take the chunks in flight: not read to the end.
      expect(stream.sent()).toBeLessThan(route.limit + 1024 * 1024);
    }
  });

  it("answers 415 to a compressed body where only the ingest decompresses", async () => {
    for (const route of routes.filter(({ name }) => name !== "ingest")) {
      const response = await route.send({ body: gzipSync("{}"), headers: { ...headers[route.name], "content-encoding": "gzip" } });
      expect([route.name, response.status, await response.json()]).toEqual([route.name, 415, { error: 'Content-Encoding "gzip" is not supported here: send it uncompressed' }]);
    }
  });

  it("gives Server Actions the same limit as the small bodies (next.config.ts)", async () => {
    const { default: nextConfig } = await import("@/next.config");
    expect(nextConfig.experimental?.serverActions?.bodySizeLimit).toBe(BODY_LIMITS.small);
  });

  it("still reads bodies within the limit", async () => {
    const signIn = await routes[0]!.send({ body: JSON.stringify({ email: "ed@example.com", password: "correct horse battery" }), headers: { origin: SITE, "x-shipshape-site-origin": SITE } });
    expect(signIn.status).toBe(200);
    const target = await routes[2]!.send({ body: JSON.stringify({ kpi: "deployment_frequency", value: 1 }), headers: headers.target });
    expect([target.status, await target.json()]).toEqual([200, { changed: true }]);
  });
});
