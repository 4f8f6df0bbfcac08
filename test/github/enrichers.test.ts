/**
 * The GitHub enrichers alone (connectors/github/enrichers/): stored rows in, derived columns out,
 * each step without the others.
 */
import { sql } from "drizzle-orm";
import type { InferInsertModel } from "drizzle-orm";
import { expect, it } from "vitest";
import type { Store } from "@/db/client";
import { commits, pullRequestCommits, pullRequests } from "@/db/schema";
import { detectReverts, linkPullRequests, placeCommits } from "@/connectors/github/enrichers";
import { describeEachDriver } from "@/test/support/db";
import { commit, insertRecords } from "@/test/support/records";

const REPO = "acme/lib";

type Commit = InferInsertModel<typeof commits>;

function commitOf(repo: string, sha: string, parents: string[], fields: Partial<Commit> = {}): Commit {
  return commit(sha, parents, "2026-04-01T00:00:00Z", { repo, ...fields });
}

async function places(store: Store, repo: string) {
  const rows = await store.rows<{ sha: string; line_position: number | null; landed_position: number | null }>(
    sql`SELECT sha, line_position, landed_position FROM commits WHERE repo = ${repo} ORDER BY sha`,
  );
  return Object.fromEntries(rows.map((row) => [row.sha, [row.line_position, row.landed_position]]));
}

/**
 * main: i ← c2 ← m3 (merges develop at d2) ← c4 ← m5 (merges develop at d4); develop forked from
 * i and never merged back: d1 ← d2 ← d3 ← d4.
 */
const firstHalf = (repo: string) => [
  commitOf(repo, "i", []),
  commitOf(repo, "c2", ["i"]),
  commitOf(repo, "d1", ["i"]),
  commitOf(repo, "d2", ["d1"]),
  commitOf(repo, "m3", ["c2", "d2"]),
];
const secondHalf = (repo: string) => [
  commitOf(repo, "c4", ["m3"]),
  commitOf(repo, "d3", ["d2"]),
  commitOf(repo, "d4", ["d3"]),
  commitOf(repo, "m5", ["c4", "d4"]),
];
const placed = { i: [1, 1], c2: [2, 2], m3: [3, 3], c4: [4, 4], m5: [5, 5], d1: [null, 3], d2: [null, 3], d3: [null, 5], d4: [null, 5] };

describeEachDriver("enricher: commits placed on the default branch's line", (store) => {
  it("numbers the first-parent line and lands second-parent commits at the first line commit that holds them", async () => {
    await insertRecords(store(), commits, [...firstHalf(REPO), ...secondHalf(REPO)]);
    await placeCommits(store(), REPO);
    expect(await places(store(), REPO)).toEqual(placed);
  });

  it("placing what a later sync added gives the places of placing the whole history at once; again, nothing changes", async () => {
    await insertRecords(store(), commits, firstHalf(REPO));
    await placeCommits(store(), REPO);
    expect(await places(store(), REPO)).toEqual({ i: [1, 1], c2: [2, 2], m3: [3, 3], d1: [null, 3], d2: [null, 3] });
    await insertRecords(store(), commits, secondHalf(REPO));
    await placeCommits(store(), REPO);
    expect(await places(store(), REPO)).toEqual(placed);
    await placeCommits(store(), REPO);
    expect(await places(store(), REPO)).toEqual(placed);
  });

  it("places again from scratch when a pushed 'git pull' merge makes the old line a second parent", async () => {
    await insertRecords(store(), commits, [...firstHalf(REPO), ...secondHalf(REPO)]);
    await placeCommits(store(), REPO);
    // A maintainer's local commit l (on c4) merged with the pushed m5, first parent l: the line now runs f ← l ← c4.
    await insertRecords(store(), commits, [commitOf(REPO, "l", ["c4"]), commitOf(REPO, "f", ["l", "m5"])]);
    await placeCommits(store(), REPO);
    expect(await places(store(), REPO)).toEqual({ ...placed, l: [5, 5], f: [6, 6], m5: [null, 6], d3: [null, 6], d4: [null, 6] });
  });

  it("after a force push, commits off the branch lose their places and the rest is placed again", async () => {
    await insertRecords(store(), commits, [...firstHalf(REPO), ...secondHalf(REPO)]);
    await placeCommits(store(), REPO);
    // The sync marked m5 and develop's d3, d4 as off the branch; c5 replaced m5.
    await store().db.execute(sql`UPDATE commits SET on_default_branch = false WHERE sha IN ('m5', 'd3', 'd4')`);
    await insertRecords(store(), commits, [commitOf(REPO, "c5", ["c4"])]);
    await placeCommits(store(), REPO);
    expect(await places(store(), REPO)).toEqual({ ...placed, c5: [5, 5], m5: [null, null], d3: [null, null], d4: [null, null] });
  });

  it("places at 0 a default-branch commit the head's stored history does not reach, and keeps repos apart", async () => {
    await insertRecords(store(), commits, [
      ...firstHalf(REPO),
      commitOf(REPO, "stray", ["not-stored"]),
      commitOf(REPO, "stray-child", ["stray"]),
      ...firstHalf("acme/other").map((row) => ({ ...row, sha: `${row.sha}-other`, parents: (row.parents ?? []).map((p) => `${p}-other`) })),
    ]);
    await placeCommits(store(), REPO);
    expect(await places(store(), REPO)).toEqual({ i: [1, 1], c2: [2, 2], m3: [3, 3], d1: [null, 3], d2: [null, 3], stray: [null, 0], "stray-child": [null, 0] });
    expect(Object.values(await places(store(), "acme/other")).every(([line, landed]) => line === null && landed === null)).toBe(true);
    // A later merge of the stray line places it.
    await insertRecords(store(), commits, [commitOf(REPO, "m4", ["m3", "stray-child"])]);
    await placeCommits(store(), REPO);
    expect(await places(store(), REPO)).toMatchObject({ m4: [4, 4], stray: [null, 4], "stray-child": [null, 4] });
  });
});

type PullRequest = InferInsertModel<typeof pullRequests>;

function pull(number: number, mergedAt: string, mergeCommitSha: string, fields: Partial<PullRequest> = {}): PullRequest {
  return {
    source: "github",
    externalId: `${REPO}#${number}`,
    raw: {},
    repo: REPO,
    number,
    title: `PR ${number}`,
    baseRef: "main",
    headRef: `feature/${number}`,
    mergedToDefault: true,
    mergedAt,
    mergeCommitSha,
    createdAt: "2026-04-01T00:00:00Z",
    updatedAt: mergedAt,
    ...fields,
  };
}

const own = (number: number, sha: string, authoredAt: string, message: string) => ({ repo: REPO, number, sha, authoredAt, message });

/**
 * Placed default-branch history (line position = landed position unless said):
 *   i 1 ← p1 2 ← p2 3 (a maintainer's direct pushes: copies of PR 2's q1, q2, committed on 04-02)
 *   ← s2 4 (PR 2 squashed, merged 04-03) ← m3 5 (PR 3's merge commit; its own y1, y2 landed at 5;
 *   PR 3's list also carries p1 itself) ← z1c 6 ← z2c 7 (PR 5 rebased: copies of z1, z2) ← h1 8 ←
 *   h2 9 (PR 6, merged by pushing its own commits) ← lone 10 ← x 11 (a later cherry-pick of q3).
 */
async function insertLinkFixture(store: Store) {
  const at = (date: string, fields: Partial<Commit> = {}) => ({ authoredAt: date, committedAt: date, ...fields });
  await insertRecords(store, commits, [
    commitOf(REPO, "i", [], { ...at("2026-03-30T09:00:00Z"), message: "Initial commit", linePosition: 1, landedPosition: 1 }),
    commitOf(REPO, "p1", ["i"], { authoredAt: "2026-04-02T09:00:00Z", committedAt: "2026-04-02T10:00:00Z", message: "Part 1", linePosition: 2, landedPosition: 2 }),
    commitOf(REPO, "p2", ["p1"], { authoredAt: "2026-04-02T09:10:00Z", committedAt: "2026-04-02T10:10:00Z", message: "Part 2", linePosition: 3, landedPosition: 3 }),
    commitOf(REPO, "s2", ["p2"], { ...at("2026-04-03T10:00:00Z"), message: "Feature X (#2)", linePosition: 4, landedPosition: 4 }),
    commitOf(REPO, "y1", ["p1"], { ...at("2026-04-04T09:00:00Z"), message: "Y part 1", landedPosition: 5 }),
    commitOf(REPO, "y2", ["y1"], { ...at("2026-04-04T10:00:00Z"), message: "Y part 2", landedPosition: 5 }),
    commitOf(REPO, "m3", ["s2", "y2"], { ...at("2026-04-04T11:00:00Z"), message: "Merge pull request #3", linePosition: 5, landedPosition: 5 }),
    commitOf(REPO, "z1c", ["m3"], { authoredAt: "2026-04-04T11:30:00Z", committedAt: "2026-04-04T13:00:00Z", message: "Z part 1", linePosition: 6, landedPosition: 6 }),
    commitOf(REPO, "z2c", ["z1c"], { authoredAt: "2026-04-04T12:00:00Z", committedAt: "2026-04-04T13:00:00Z", message: "Z part 2", linePosition: 7, landedPosition: 7 }),
    commitOf(REPO, "h1", ["z2c"], { ...at("2026-04-05T09:00:00Z"), message: "Hotfix part 1", linePosition: 8, landedPosition: 8 }),
    commitOf(REPO, "h2", ["h1"], { ...at("2026-04-05T09:20:00Z"), message: "Hotfix part 2", linePosition: 9, landedPosition: 9 }),
    commitOf(REPO, "lone", ["h2"], { ...at("2026-04-05T10:00:00Z"), message: "Typo", linePosition: 10, landedPosition: 10 }),
    commitOf(REPO, "x", ["lone"], { authoredAt: "2026-04-02T14:00:00Z", committedAt: "2026-04-06T09:00:00Z", message: "Feature X", linePosition: 11, landedPosition: 11 }),
  ]);
  await insertRecords(store, pullRequests, [
    pull(2, "2026-04-03T10:00:00Z", "s2"),
    pull(3, "2026-04-04T11:00:00Z", "m3"),
    pull(5, "2026-04-04T13:00:00Z", "z2c"),
    pull(6, "2026-04-05T09:30:00Z", "h2"),
    pull(8, "2026-04-05T11:00:00Z", "lone", { baseRef: "release/1.x", mergedToDefault: false }),
  ]);
  await insertRecords(store, pullRequestCommits, [
    own(2, "q1", "2026-04-02T09:00:00Z", "Part 1"),
    own(2, "q2", "2026-04-02T09:10:00Z", "Part 2"),
    own(2, "q3", "2026-04-02T14:00:00Z", "Feature X"),
    own(3, "p1", "2026-04-02T09:00:00Z", "Part 1"),
    own(3, "y1", "2026-04-04T09:00:00Z", "Y part 1"),
    own(3, "y2", "2026-04-04T10:00:00Z", "Y part 2"),
    own(5, "z1", "2026-04-04T11:30:00Z", "Z part 1"),
    own(5, "z2", "2026-04-04T12:00:00Z", "Z part 2"),
    own(6, "h1", "2026-04-05T09:00:00Z", "Hotfix part 1"),
    own(6, "h2", "2026-04-05T09:20:00Z", "Hotfix part 2"),
    own(8, "lone", "2026-04-05T10:00:00Z", "Typo"),
  ]);
}

describeEachDriver("enricher: default-branch commits linked to pull requests", (store) => {
  it("links merge, squash, rebase and pushed merges, and never to a pull request what was on the branch before it merged", async () => {
    await insertLinkFixture(store());
    await linkPullRequests(store(), REPO);
    const linked = await store().rows<{ sha: string; pull_number: number | null }>(sql`SELECT sha, pull_number FROM commits ORDER BY line_position, landed_position, sha`);
    expect(Object.fromEntries(linked.map((row) => [row.sha, row.pull_number]))).toEqual({
      i: null,
      // Copies of PR 2's q1, q2 (same author date and message), committed a day before PR 2 merged: lone commits.
      p1: null,
      p2: null,
      s2: 2,
      // PR 3's own commits came with its merge commit; p1, which PR 3's list carries too, is an ancestor of m3's first parent.
      y1: 3,
      y2: 3,
      m3: 3,
      // PR 5's rebased copies, committed when it merged.
      z1c: 5,
      z2c: 5,
      // PR 6 was merged by pushing its own commits: they are its own, though committed before GitHub saw the merge.
      h1: 6,
      h2: 6,
      // PR 8 merged into a release branch: no change; a copy of q3 cherry-picked after PR 2 merged is not PR 2's.
      lone: null,
      x: null,
    });
    const before = await store().rows<{ number: number; sha: string; on_default_before_merge: boolean }>(
      sql`SELECT number, sha, on_default_before_merge FROM pull_request_commits ORDER BY number, sha`,
    );
    expect(before.filter((row) => row.on_default_before_merge).map((row) => `${row.number}:${row.sha}`)).toEqual(["2:q1", "2:q2", "3:p1"]);
  });

  it("gives the same links when run again, and follows a pull request stored later", async () => {
    await insertLinkFixture(store());
    await store().db.execute(sql`DELETE FROM pull_requests WHERE number = 3`);
    await linkPullRequests(store(), REPO);
    expect(await store().rows(sql`SELECT sha FROM commits WHERE pull_number IS NULL ORDER BY sha`)).toEqual(
      ["i", "lone", "m3", "p1", "p2", "x", "y1", "y2"].map((sha) => ({ sha })),
    );
    await insertRecords(store(), pullRequests, [pull(3, "2026-04-04T11:00:00Z", "m3")]);
    await linkPullRequests(store(), REPO);
    await linkPullRequests(store(), REPO);
    expect(await store().rows(sql`SELECT sha FROM commits WHERE pull_number = 3 ORDER BY sha`)).toEqual([{ sha: "m3" }, { sha: "y1" }, { sha: "y2" }]);
  });
});

describeEachDriver("enricher: reverts named only by their title", (store) => {
  it("links a hand-made revert to the latest pull request of that title merged before the revert was opened", async () => {
    await insertRecords(store(), pullRequests, [
      pull(10, "2026-03-01T00:00:00Z", "a", { title: "Add cache" }),
      pull(11, "2026-03-05T00:00:00Z", "b", { title: "Add cache" }),
      pull(12, "2026-03-06T12:00:00Z", "c", { title: 'Revert "Add cache"', createdAt: "2026-03-06T00:00:00Z" }),
      pull(13, "2026-03-03T12:00:00Z", "d", { title: 'Revert "Add cache"', createdAt: "2026-03-03T00:00:00Z" }),
      pull(14, "2026-03-07T12:00:00Z", "e", { title: 'Revert "Add cache"', createdAt: "2026-03-07T00:00:00Z", revertsNumber: 10 }),
      pull(15, "2026-03-07T12:00:00Z", "f", { title: 'Revert "Nothing"', createdAt: "2026-03-07T00:00:00Z" }),
      pull(16, "2026-02-01T12:00:00Z", "g", { title: 'Revert "Add cache"', createdAt: "2026-02-01T00:00:00Z" }),
    ]);
    await detectReverts(store(), REPO);
    const rows = await store().rows<{ number: number; reverts_number: number | null }>(sql`SELECT number, reverts_number FROM pull_requests WHERE number >= 12 ORDER BY number`);
    // 12 → 11 (the latest merged before it opened), 13 → 10 (11 merged after it opened), 14 keeps its branch's 10, 15 and 16 match nothing.
    expect(rows).toEqual([
      { number: 12, reverts_number: 11 },
      { number: 13, reverts_number: 10 },
      { number: 14, reverts_number: 10 },
      { number: 15, reverts_number: null },
      { number: 16, reverts_number: null },
    ]);
  });
});
