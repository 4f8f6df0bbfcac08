/**
 * The request cost of a repo with 1,000 pull requests: a first sync and an unchanged re-sync,
 * through REST against the minimum possible at 100 items per page, and through GraphQL
 * against issue 17's goals (docs/benchmarks.md, "GitHub sync") — and both store the same.
 */
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, expect, it } from "vitest";
import { describeEachDriver } from "@/test/support/db";
import { FakeGitHub } from "./fake-github";
import { buildBusyRepo } from "./scenarios";
import { REST, storedTables, syncGitHub } from "./support";

const REPO = "acme/big";

describeEachDriver("GitHub sync request count", (store) => {
  let fake: FakeGitHub;
  let viaRest: ReturnType<typeof withoutRaw> | undefined;
  let restRecords: Record<string, number> = {};
  beforeAll(async () => {
    fake = await new FakeGitHub().start();
    // 1,000 merged pull requests (333 merge commits, 334 squashes, 333 rebases) → 2,000 default-branch commits;
    // 100 deployments, 10 releases, 200 issues (+ the 1,000 pull requests the issues API lists too).
    buildBusyRepo(fake, REPO, { pulls: 1000, deployEvery: 10, releaseEvery: 100, issues: 200 });
  });
  afterAll(() => fake.stop());

  it("REST, first sync: one request per page of 100 plus the per-item lists; unchanged re-sync: 6 requests, all 304", { timeout: 180_000 }, async () => {
    const started = Date.now();
    const first = await syncGitHub(store(), fake, [REPO], REST);
    const firstMs = Date.now() - started;
    expect(first.errors).toEqual([]);
    expect(first.records).toEqual({ [`${REPO}:pulls`]: 1000, [`${REPO}:commits`]: 2000, [`${REPO}:deployments`]: 100, [`${REPO}:releases`]: 10, [`${REPO}:issues`]: 200 });

    const count = (pattern: RegExp) => fake.requests(pattern).length;
    const listPages = {
      repo: count(new RegExp(`^GET /repos/${REPO}$`)),
      pulls: count(/\/pulls\?/),
      commits: count(new RegExp(`^GET /repos/${REPO}/commits\\?`)),
      deployments: count(/\/deployments\?/),
      releases: count(/\/releases\?/),
      issues: count(/\/issues\?/),
    };
    // Minimum at 100 per page: ceil(1000/100), ceil(2000/100), ceil(100/100), ceil(10/100), ceil(1200/100).
    expect(listPages).toEqual({ repo: 1, pulls: 10, commits: 20, deployments: 1, releases: 1, issues: 12 });
    const perItem = { pullCommits: count(/\/pulls\/\d+\/commits/), reviews: count(/\/pulls\/\d+\/reviews/), statuses: count(/\/statuses/) };
    // No REST endpoint lists these for many items at once: one request per merged pull request / deployment.
    expect(perItem).toEqual({ pullCommits: 1000, reviews: 1000, statuses: 100 });
    expect(first.requests).toBe(45 + 2100);
    expect(fake.log.every((entry) => entry.status === 200)).toBe(true);

    // Every default-branch commit but the initial one belongs to its pull request, rebased copies included.
    expect(await store().rows(sql`SELECT count(*)::int AS lone FROM commits WHERE pull_number IS NULL`)).toEqual([{ lone: 1 }]);

    fake.log.length = 0;
    const again = await syncGitHub(store(), fake, [REPO], REST);
    expect(again.requests).toBe(6);
    expect(fake.log.map((entry) => entry.status)).toEqual([304, 304, 304, 304, 304, 304]);
    console.log(`GitHub sync of ${REPO}: first ${first.requests} requests in ${firstMs} ms; unchanged re-sync ${again.requests} requests (all 304)`);
    viaRest = withoutRaw(await storedTables(store()));
    restRecords = first.records;
  });

  // After the REST test: it compares with what REST stored.
  it("GraphQL: first sync within 60 requests and 100 points, unchanged re-sync one request per stream, the same records as REST", { timeout: 240_000 }, async () => {
    expect(viaRest).toBeDefined();

    fake.log.length = 0;
    const first = await syncGitHub(store(), fake, [REPO]);
    expect(first.errors).toEqual([]);
    expect(first.records).toEqual(restRecords);
    expect(fake.log.every((entry) => entry.request.startsWith("POST /graphql") && entry.status === 200)).toBe(true);
    expect(first.requests).toBeLessThanOrEqual(60);
    expect(fake.pointsSpent()).toBeLessThanOrEqual(100);
    // Record by record, the same database (the raw payloads differ: a GraphQL node is not a REST object).
    expect(withoutRaw(await storedTables(store()))).toEqual(viaRest);
    const firstPoints = fake.pointsSpent();

    fake.log.length = 0;
    const again = await syncGitHub(store(), fake, [REPO]);
    expect(again.errors).toEqual([]);
    // repo, pulls, commits, deployments, releases, issues: one query each (no deploy workflows configured).
    expect(again.requests).toBe(6);
    expect(withoutRaw(await storedTables(store()))).toEqual(viaRest);
    console.log(`GitHub GraphQL sync of ${REPO}: first ${first.requests} requests, ${firstPoints} points; unchanged re-sync ${again.requests} requests, ${fake.pointsSpent()} points`);
  });
});

/** The tables without what differs by path by design: raw payloads and the streams' saved states (ETags, digests). */
function withoutRaw(tables: Record<string, unknown[]>) {
  const { stream_states: _states, ...rest } = tables;
  return Object.fromEntries(Object.entries(rest).map(([table, rows]) => [table, rows.map((row) => ({ ...(row as object), raw: undefined }))]));
}
