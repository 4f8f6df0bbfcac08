/**
 * POST /api/webhooks/github, through the route handler: real deliveries from
 * @octokit/webhooks-examples, signed as GitHub signs them; answers per interfaces.md; a burst
 * of deliveries for a configured repo makes one prompt webhook run of that repo.
 */
import { createRequire } from "node:module";
import { sign } from "@octokit/webhooks-methods";
import { sql } from "drizzle-orm";
import { afterEach, expect, it } from "vitest";
import { POST } from "@/app/api/webhooks/github/route";
import { MAX_NESTING, NESTING_CUT } from "@/db/storable";
import { parseConfig, type Config } from "@/lib/config/load";
import { setProcessScheduler } from "@/lib/scheduler/process";
import { Scheduler } from "@/lib/scheduler/scheduler";
import { setServerRuntime } from "@/lib/server/shared-runtime";
import type { SyncContext } from "@/lib/sync/run";
import { describeEachDriver } from "@/test/support/db";

const SECRET = "It's a Secret to Everybody";
const BURST_WINDOW_MS = 10_000;
const EVENTS = ["pull_request", "push", "deployment", "deployment_status", "release", "issues", "ping"];
const examples = (createRequire(import.meta.url)("@octokit/webhooks-examples/api.github.com/index.json") as { name: string; examples: unknown[] }[])
  .filter((entry) => EVENTS.includes(entry.name))
  .flatMap((entry) => entry.examples.map((example) => ({ event: entry.name, body: JSON.stringify(example) })));

function config(secret: string | null): Config {
  const webhook = secret ? `\n    webhook_secret: "${secret}"` : "";
  return parseConfig(
    `projects:\n  - slug: hello\n    name: Hello\n    github: { repos: [codertocat/hello-world] }\nsources:\n  github:\n    token: t${webhook}\n`,
    "shipshape.yaml",
    {},
  );
}

let delivery = 0;
async function deliver(event: string, body: string, signature: string | null, id = `delivery-${++delivery}`) {
  const headers: Record<string, string> = { "content-type": "application/json", "x-github-event": event, "x-github-delivery": id };
  if (signature) headers["x-hub-signature-256"] = signature;
  const response = await POST(new Request("http://localhost/api/webhooks/github", { method: "POST", headers, body }));
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describeEachDriver("GitHub webhooks", (store) => {
  let scheduler: Scheduler | undefined;
  afterEach(async () => {
    await scheduler?.stop();
    setProcessScheduler(undefined);
  });

  function serveWith(config: Config, runs: SyncContext[] = []) {
    setServerRuntime({ config, store: store() });
    scheduler = new Scheduler({
      config,
      store: store(),
      log: () => {},
      // Long enough for the 90 deliveries of a burst on a loaded machine: they all fall in one window.
      webhookDelayMs: BURST_WINDOW_MS,
      sources: { github: async (context) => (runs.push(context), { records: {}, requests: 0, errors: [], parts: 1 }) },
    });
    setProcessScheduler(scheduler);
    return runs;
  }

  it(`accepts every real delivery (${examples.length}) once, and a burst makes one run of the repo`, async () => {
    const runs = serveWith(config(SECRET));
    for (const { event, body } of examples) {
      const answer = await deliver(event, body, await sign(SECRET, body));
      expect(answer.status, `${event}: ${JSON.stringify(answer.body)}`).toBe(202);
    }
    const stored = await store().rows<{ count: number }>(sql`SELECT count(*)::int AS count FROM webhook_deliveries`);
    expect(stored).toEqual([{ count: examples.length }]);
    // The window closes, the one run goes; nothing more comes of the burst after it.
    while (runs.length === 0) await new Promise((resolve) => setTimeout(resolve, 100));
    await scheduler!.idle();
    expect(runs.map(({ trigger, only }) => ({ trigger, only }))).toEqual([{ trigger: "webhook", only: ["codertocat/hello-world"] }]);
    const recorded = await store().rows(sql`SELECT source, trigger, status FROM sync_runs`);
    expect(recorded).toEqual([{ source: "github", trigger: "webhook", status: "succeeded" }]);
  });

  it("stores a repeated delivery id once and answers 202 again", async () => {
    serveWith(config(SECRET));
    const { event, body } = examples.find((example) => example.event === "ping")!;
    const first = await deliver(event, body, await sign(SECRET, body), "same-id");
    const again = await deliver(event, body, await sign(SECRET, body), "same-id");
    expect([first, again]).toEqual([
      { status: 202, body: { accepted: true, stored: true, sync: null } },
      { status: 202, body: { accepted: true, stored: false, sync: null } },
    ]);
    expect(await store().rows(sql`SELECT delivery_id, event FROM webhook_deliveries`)).toEqual([{ delivery_id: "same-id", event: "ping" }]);
  });

  it("stores a delivery holding U+0000 and a lone surrogate cleaned, and one nested 8,000 levels deep with that part cut", async () => {
    serveWith(config(SECRET));
    const example = JSON.parse(examples.find((candidate) => candidate.event === "pull_request")!.body) as { action: string; pull_request: { title: string; body: string | null } };
    example.pull_request.title = "Fix checkout\u0000";
    example.pull_request.body = "See the log \ud83d";
    const body = JSON.stringify(example);
    expect(await deliver("pull_request", body, await sign(SECRET, body), "with-nul")).toMatchObject({ status: 202, body: { accepted: true, stored: true } });
    const deep = `{"zen":"Keep it logically awesome.","hook_id":1,"extra":${"[".repeat(8000)}1${"]".repeat(8000)}}`;
    expect(await deliver("ping", deep, await sign(SECRET, deep), "deep")).toEqual({ status: 202, body: { accepted: true, stored: true, sync: null } });
    const stored = await store().rows<{ delivery_id: string; title: string | null; body: string | null; zen: string | null; cut: string | null }>(sql`
      SELECT delivery_id, raw->'pull_request'->>'title' AS title, raw->'pull_request'->>'body' AS body, raw->>'zen' AS zen,
        raw #>> ${`{extra${",0".repeat(MAX_NESTING - 2)}}`}::text[] AS cut
      FROM webhook_deliveries ORDER BY delivery_id`);
    expect(stored).toEqual([
      { delivery_id: "deep", title: null, body: null, zen: "Keep it logically awesome.", cut: NESTING_CUT },
      { delivery_id: "with-nul", title: "Fix checkout", body: "See the log ", zen: null, cut: null },
    ]);
  });

  it("answers 401 for a missing or wrong signature, 400 for a body that is not JSON, 404 without a secret", async () => {
    serveWith(config(SECRET));
    const { event, body } = examples[0]!;
    expect((await deliver(event, body, null)).status).toBe(401);
    expect((await deliver(event, body, await sign("another secret", body))).status).toBe(401);
    expect((await deliver(event, `${body} `, await sign(SECRET, body))).status).toBe(401);
    expect((await deliver(event, "payload=%7B%7D", await sign(SECRET, "payload=%7B%7D"))).status).toBe(400);
    expect(await store().rows(sql`SELECT delivery_id FROM webhook_deliveries`)).toEqual([]);

    await scheduler!.stop();
    serveWith(config(null));
    expect((await deliver(event, body, await sign(SECRET, body))).status).toBe(404);
  });
});
