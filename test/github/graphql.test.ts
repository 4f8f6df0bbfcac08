/**
 * The GraphQL path (connectors/github/graphql/): every query valid in GitHub's published schema;
 * faults GitHub's GraphQL API is known for — a 502 or 504 in the middle of the pages, a query
 * the client gives up waiting for, a secondary rate limit, points running out — shrink the page
 * or wait, and the sync finishes with the same database as an undisturbed one; a server without
 * /graphql is read through REST, said once.
 */
import { validate } from "@octokit/graphql-schema";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { allQueries } from "@/connectors/github/graphql/queries";
import { describeEachDriver } from "@/test/support/db";
import { faults, FakeGitHub } from "./fake-github";
import { buildBusyRepo } from "./scenarios";
import { storedTables, syncGitHub, TEST_TUNING } from "./support";

const REPO = "acme/shop";

describe("the connector's GraphQL queries", () => {
  it.each(allQueries.map((query) => [query.name, query] as const))("%s is valid in GitHub's published schema", (_name, query) => {
    expect(validate(query.text).map((error) => error.message)).toEqual([]);
  });

  it("a field GitHub does not have fails the check", () => {
    const typo = allQueries.find((query) => query.name === "PullRequests")!.text.replace("mergedAt", "mergedOn");
    expect(validate(typo).map((error) => error.message)).toEqual([expect.stringContaining('Cannot query field "mergedOn"')]);
  });
});

describeEachDriver("GitHub sync through GraphQL", (store) => {
  let fake: FakeGitHub;
  let undisturbed: Awaited<ReturnType<typeof storedTables>>;
  beforeAll(async () => {
    fake = await new FakeGitHub().start();
    // 120 merged pull requests: three pages at the first size of 50. Built once: every test reads the same repo.
    buildBusyRepo(fake, REPO, { pulls: 120, deployEvery: 10, releaseEvery: 20, issues: 30 });
  });
  afterAll(() => fake.stop());
  beforeEach(() => {
    fake.log.length = 0;
    fake.faults.length = 0;
    fake.graphqlDisabled = false;
  });

  const pullPages = () =>
    fake.requests(/PullRequests acme\/shop/).map((entry) => {
      const [, first, after] = /first=(\d+) after=(\S+)/.exec(entry.request)!;
      return { first: Number(first), after: after !== "-", status: entry.status };
    });

  it("an undisturbed sync: the reference database", async () => {
    const run = await syncGitHub(store(), fake, [REPO]);
    expect(run.errors).toEqual([]);
    undisturbed = await storedTables(store());
    expect(undisturbed.pull_requests).toHaveLength(120);
  });

  it("a 502 and a 504 in the middle of the pages halve the page, which grows back; the database is the same", async () => {
    const laterPage = (r: string) => /PullRequests .* after=(?!-)/.test(r);
    fake.faults.push({ match: laterPage, times: 1, reply: faults.serverError() }, { match: laterPage, times: 1, reply: faults.gatewayTimeout() });
    const run = await syncGitHub(store(), fake, [REPO]);
    expect(run.errors).toEqual([]);
    // 50 answered quickly: 100; 502: 50; 504: 25; answered: 50 again, for the last 45.
    expect(pullPages().map(({ first, status }) => [first, status])).toEqual([
      [50, 200],
      [100, 502],
      [50, 504],
      [25, 200],
      [50, 200],
    ]);
    expect(run.lines.filter((line) => line.includes("timed out"))).toEqual([
      "GitHub GraphQL: PullRequests timed out at 100 per page (502); asking for 50",
      "GitHub GraphQL: PullRequests timed out at 50 per page (504); asking for 25",
    ]);
    expect(await storedTables(store())).toEqual(undisturbed);
  });

  it("a query the client gives up waiting for is asked again smaller, down to 1 and no lower", async () => {
    // Every PullRequests query with more than 1 per page takes longer than the client waits.
    // The client waits 800 ms: far beyond a local answer even on a loaded machine (200 ms was
    // not: an answer at 1 per page timed out there), far below the faulted ones' 2.5 s.
    fake.faults.push({ match: (r) => /PullRequests .* first=(?!1 )\d+/.test(r), times: 7, reply: { delayMs: 2_500 } });
    const run = await syncGitHub(store(), fake, [REPO], "", { ...TEST_TUNING, queryTimeoutMs: 800 });
    expect(run.errors).toEqual([]);
    expect(run.lines.filter((line) => line.includes("timed out")).slice(0, 6)).toEqual([
      "GitHub GraphQL: PullRequests timed out at 50 per page (no answer); asking for 25",
      "GitHub GraphQL: PullRequests timed out at 25 per page (no answer); asking for 12",
      "GitHub GraphQL: PullRequests timed out at 12 per page (no answer); asking for 6",
      "GitHub GraphQL: PullRequests timed out at 6 per page (no answer); asking for 3",
      "GitHub GraphQL: PullRequests timed out at 3 per page (no answer); asking for 1",
      // 1 answered, grew to 2, which times out again.
      "GitHub GraphQL: PullRequests timed out at 2 per page (no answer); asking for 1",
    ]);
    expect(await storedTables(store())).toEqual(undisturbed);
  });

  it("waits out a secondary rate limit (403, Retry-After) and goes on", async () => {
    fake.faults.push({ match: (r) => /Deployments acme\/shop/.test(r), times: 1, reply: faults.secondaryRateLimit(1) });
    const run = await syncGitHub(store(), fake, [REPO]);
    expect(run.errors).toEqual([]);
    expect(fake.requests(/Deployments acme\/shop/).map((r) => r.status).slice(0, 2)).toEqual([403, 200]);
    expect(run.lines).toContainEqual(expect.stringMatching(/secondary rate limit on POST .*graphql; waiting 1 s/));
    expect(await storedTables(store())).toEqual(undisturbed);
  });

  it("waits for the reset when the points left would not pay for the next query", async () => {
    fake.points.remaining = 3;
    // Waits in real seconds here: the fake's reset is on the clock. Far enough ahead that the two
    // queries before the wait end before it even on a loaded machine (at 1.5 s, once, they did not).
    fake.points.resetAt = Date.now() + 4000;
    const run = await syncGitHub(store(), fake, [REPO], "", { ...TEST_TUNING, retryAfterBaseValue: 1000 });
    expect(run.errors).toEqual([]);
    // Repository costs 1 and the first page of PullRequests 2: the next page would cost 2 of the 0 left.
    expect(run.lines).toContainEqual(expect.stringMatching(/^GitHub GraphQL: 0 points left, PullRequests costs 2; waiting \d s for the reset/));
    expect(fake.log.every((entry) => entry.status === 200)).toBe(true);
    expect(await storedTables(store())).toEqual(undisturbed);
  });

  it("a server without /graphql (404) is read through REST, said once, to the same records", async () => {
    fake.graphqlDisabled = true;
    const run = await syncGitHub(store(), fake, [REPO]);
    expect(run.errors).toEqual([]);
    expect(run.lines.filter((line) => line.includes("GraphQL"))).toEqual([expect.stringMatching(/^GitHub answered 404 to GraphQL .*reading through the REST API for the rest of this run/)]);
    expect(fake.requests(/^POST \/graphql/)).toHaveLength(1);
    const viaRest = await storedTables(store());
    const withoutRaw = (tables: typeof viaRest) =>
      Object.fromEntries(Object.entries(tables).filter(([table]) => table !== "stream_states").map(([table, rows]) => [table, rows.map((row) => ({ ...(row as object), raw: undefined }))]));
    expect(withoutRaw(viaRest)).toEqual(withoutRaw(undisturbed));
  });
});
