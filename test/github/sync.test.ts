import { sql } from "drizzle-orm";
import { expect, it } from "vitest";
import { describeEachDriver } from "@/test/support/db";
import { faults, type FakeGitHub } from "./fake-github";
import { recorded } from "./shapes";
import { REST, storedTables, syncGitHub, useFakeGitHub } from "./support";

const API = "acme/api";

/**
 * acme/api, by hand: a direct push, then pull requests merged each way GitHub merges them, one
 * merged into a release branch, one still open, a lone commit, two reverts; deployments with
 * every kind of status history; releases; issues.
 */
function buildApi(fake: FakeGitHub) {
  const repo = fake.repo(API);
  const init = repo.commit("main", "Initial commit", "2026-03-01T09:00:00Z");
  repo.openPull(1, { title: "Add feature A", branch: "feature-a", at: "2026-03-01T10:00:00Z", labels: ["enhancement"], commits: [{ message: "A part 1", at: "2026-03-01T10:00:00Z" }, { message: "A part 2", at: "2026-03-01T11:00:00Z" }] });
  repo.review(1, "APPROVED", "2026-03-01T12:00:00Z");
  const squash = repo.merge(1, "squash", "2026-03-02T09:00:00Z");
  repo.openPull(2, { title: "Add feature B", branch: "feature-b", at: "2026-03-02T10:00:00Z", commits: [{ message: "B part 1", at: "2026-03-02T10:00:00Z" }, { message: "B part 2", at: "2026-03-02T12:00:00Z" }] });
  const mergeCommit = repo.merge(2, "merge", "2026-03-03T09:00:00Z");
  repo.openPull(3, { title: "Add feature C", branch: "feature-c", at: "2026-03-03T10:00:00Z", labels: ["hotfix"], commits: [{ message: "C part 1", at: "2026-03-03T10:00:00Z" }, { message: "C part 2", at: "2026-03-03T11:00:00Z" }] });
  const rebased = repo.merge(3, "rebase", "2026-03-04T09:00:00Z");
  repo.branches.set("release/1.x", init);
  repo.openPull(4, { title: "Backport fix", branch: "backport", base: "release/1.x", at: "2026-03-04T10:00:00Z", commits: [{ message: "Backport", at: "2026-03-04T10:00:00Z" }] });
  repo.merge(4, "merge", "2026-03-04T12:00:00Z");
  repo.openPull(5, { title: "Work in progress", branch: "wip", at: "2026-03-04T13:00:00Z", commits: [{ message: "WIP", at: "2026-03-04T13:00:00Z" }] });
  const lone = repo.commit("main", "Fix typo", "2026-03-04T15:00:00Z");
  repo.openPull(6, { title: 'Revert "Add feature A"', branch: "revert-1-feature-a", at: "2026-03-05T08:00:00Z", body: "Reverts acme/api#1", commits: [{ message: "Revert A", at: "2026-03-05T08:00:00Z" }] });
  repo.merge(6, "squash", "2026-03-05T09:00:00Z");
  repo.openPull(7, { title: 'Revert "Add feature B"', branch: "undo-b", at: "2026-03-05T09:30:00Z", commits: [{ message: "Undo B", at: "2026-03-05T09:30:00Z" }] });
  repo.merge(7, "squash", "2026-03-05T10:00:00Z");

  const d1 = repo.deploy({ sha: squash, at: "2026-03-02T10:00:00Z", statuses: [{ state: "pending", at: "2026-03-02T10:00:00Z" }, { state: "success", at: "2026-03-02T10:05:00Z" }, { state: "inactive", at: "2026-03-03T10:00:00Z" }] });
  const d2 = repo.deploy({ sha: rebased, at: "2026-03-04T10:00:00Z", statuses: [{ state: "in_progress", at: "2026-03-04T10:00:00Z" }, { state: "failure", at: "2026-03-04T10:10:00Z" }] });
  const d3 = repo.deploy({ sha: rebased, at: "2026-03-04T11:00:00Z" });
  const d4 = repo.deploy({ sha: init, ref: "release/1.x", environment: "staging", at: "2026-03-04T12:30:00Z", statuses: [{ state: "success", at: "2026-03-04T12:40:00Z" }] });
  const d5 = repo.deploy({ sha: lone, at: "2026-03-04T16:00:00Z", statuses: [{ state: "queued", at: "2026-03-04T16:00:00Z" }] });

  repo.release("v1.0.0", { at: "2026-03-02T11:00:00Z", publishedAt: "2026-03-02T12:00:00Z" });
  repo.release("v1.1.0-rc.1", { at: "2026-03-04T11:00:00Z", prerelease: true });
  repo.release("v2.0.0", { at: "2026-03-05T11:00:00Z", draft: true, publishedAt: null });

  repo.issue({ number: 100, title: "Crash on login", labels: ["bug"], createdAt: "2026-03-01T08:00:00Z", closedAt: "2026-03-02T08:00:00Z", stateReason: "completed" });
  repo.issue({ number: 101, title: "Works for me", labels: ["bug"], createdAt: "2026-03-01T08:30:00Z", closedAt: "2026-03-02T09:00:00Z", stateReason: "not_planned" });
  repo.issue({ number: 102, title: "Checkout down", labels: ["incident"], createdAt: "2026-03-04T16:30:00Z", closedAt: "2026-03-04T18:00:00Z", stateReason: "completed" });
  repo.issue({ number: 103, title: "Dark mode", labels: ["feature", "ui"], createdAt: "2026-03-03T08:00:00Z", closedAt: null, stateReason: null });
  return { repo, init, squash, mergeCommit, rebased, lone, deployments: { d1, d2, d3, d4, d5 } };
}

const utc = (value: unknown) => (value === null ? null : new Date(String(value)).toISOString().replace(".000Z", "Z"));

describeEachDriver("GitHub sync through REST", (store) => {
  const fake = useFakeGitHub();

  it("stores pull requests merged every way, default-branch history, deployments, releases and issues", async () => {
    const { repo, init, squash, mergeCommit, rebased, lone, deployments } = buildApi(fake);
    const run = await syncGitHub(store(), fake, [API], REST);
    expect(run.errors).toEqual([]);
    expect(run.status).toBe("succeeded");
    // main holds: init, squash(#1), B1, B2, merge(#2), C1', C2'(#3), typo, squash(#6), squash(#7) = 10 commits.
    expect(run.records).toEqual({ [`${API}:pulls`]: 7, [`${API}:commits`]: 10, [`${API}:deployments`]: 3, [`${API}:releases`]: 3, [`${API}:issues`]: 4 });
    expect(run.requests).toBe(fake.log.length);

    const pulls = await store().rows(sql`SELECT number, base_ref, head_ref, merged_to_default, merge_commit_sha, reverts_number, labels FROM pull_requests ORDER BY number`);
    const m = (n: number) => repo.pulls.get(n)!.mergeCommitSha;
    expect(pulls).toEqual([
      { number: 1, base_ref: "main", head_ref: "feature-a", merged_to_default: true, merge_commit_sha: squash, reverts_number: null, labels: ["enhancement"] },
      { number: 2, base_ref: "main", head_ref: "feature-b", merged_to_default: true, merge_commit_sha: mergeCommit, reverts_number: null, labels: [] },
      { number: 3, base_ref: "main", head_ref: "feature-c", merged_to_default: true, merge_commit_sha: rebased, reverts_number: null, labels: ["hotfix"] },
      { number: 4, base_ref: "release/1.x", head_ref: "backport", merged_to_default: false, merge_commit_sha: m(4), reverts_number: null, labels: [] },
      { number: 5, base_ref: "main", head_ref: "wip", merged_to_default: false, merge_commit_sha: null, reverts_number: null, labels: [] },
      { number: 6, base_ref: "main", head_ref: "revert-1-feature-a", merged_to_default: true, merge_commit_sha: m(6), reverts_number: 1, labels: [] },
      { number: 7, base_ref: "main", head_ref: "undo-b", merged_to_default: true, merge_commit_sha: m(7), reverts_number: 2, labels: [] },
    ]);

    // A squash merge keeps the PR's own commits: its start is the earliest authored date among them.
    const own = await store().rows<{ number: number; authored_at: string; message: string }>(sql`SELECT number, authored_at, message FROM pull_request_commits ORDER BY number, authored_at`);
    expect(own.map((c) => [c.number, utc(c.authored_at), c.message])).toEqual([
      [1, "2026-03-01T10:00:00Z", "A part 1"],
      [1, "2026-03-01T11:00:00Z", "A part 2"],
      [2, "2026-03-02T10:00:00Z", "B part 1"],
      [2, "2026-03-02T12:00:00Z", "B part 2"],
      [3, "2026-03-03T10:00:00Z", "C part 1"],
      [3, "2026-03-03T11:00:00Z", "C part 2"],
      [4, "2026-03-04T10:00:00Z", "Backport"],
      [6, "2026-03-05T08:00:00Z", "Revert A"],
      [7, "2026-03-05T09:30:00Z", "Undo B"],
    ]);
    expect(await store().rows(sql`SELECT number, state FROM pull_request_reviews`)).toEqual([{ number: 1, state: "APPROVED" }]);

    // Default-branch commits: each belongs to its pull request (rebased copies too), except the two lone ones.
    const history = await store().rows<{ message: string; pull_number: number | null; on_default_branch: boolean; parents: string[]; sha: string }>(
      sql`SELECT sha, message, pull_number, on_default_branch, parents FROM commits ORDER BY committed_at, authored_at`,
    );
    expect(history.map((c) => [c.message, c.pull_number])).toEqual([
      ["Initial commit", null],
      ["Add feature A (#1)", 1],
      ["B part 1", 2],
      ["B part 2", 2],
      ["Merge pull request #2 from acme/feature-b", 2],
      ["C part 1", 3],
      ["C part 2", 3],
      ["Fix typo", null],
      ['Revert "Add feature A" (#6)', 6],
      ['Revert "Add feature B" (#7)', 7],
    ]);
    expect(history.every((c) => c.on_default_branch)).toBe(true);
    expect(history.find((c) => c.sha === mergeCommit)!.parents).toEqual([squash, repo.pulls.get(2)!.headSha]);
    expect(history.find((c) => c.sha === lone)!.parents).toEqual([rebased]);
    expect(history.some((c) => c.sha === init)).toBe(true);

    // Deployments: first success time (a later inactive does not undo it); failure; nothing while only queued or without statuses.
    const deployed = await store().rows<{ external_id: string; environment: string; status: string; finished_at: string; commit_sha: string; ref: string; repo: string }>(
      sql`SELECT external_id, environment, status, finished_at, commit_sha, ref, repo FROM deployments ORDER BY finished_at`,
    );
    expect(deployed.map((d) => ({ ...d, finished_at: utc(d.finished_at) }))).toEqual([
      { external_id: `${API}/deployments/${deployments.d1}`, environment: "production", status: "success", finished_at: "2026-03-02T10:05:00Z", commit_sha: squash, ref: "main", repo: API },
      { external_id: `${API}/deployments/${deployments.d2}`, environment: "production", status: "failure", finished_at: "2026-03-04T10:10:00Z", commit_sha: rebased, ref: "main", repo: API },
      { external_id: `${API}/deployments/${deployments.d4}`, environment: "staging", status: "success", finished_at: "2026-03-04T12:40:00Z", commit_sha: init, ref: "release/1.x", repo: API },
    ]);

    const rel = await store().rows<{ tag: string; draft: boolean; prerelease: boolean; published_at: string | null }>(sql`SELECT tag, draft, prerelease, published_at FROM releases ORDER BY tag`);
    expect(rel.map((r) => ({ ...r, published_at: utc(r.published_at) }))).toEqual([
      { tag: "v1.0.0", draft: false, prerelease: false, published_at: "2026-03-02T12:00:00Z" },
      { tag: "v1.1.0-rc.1", draft: false, prerelease: true, published_at: "2026-03-04T11:00:00Z" },
      { tag: "v2.0.0", draft: true, prerelease: false, published_at: null },
    ]);

    const items = await store().rows<{ container: string; key: string; labels: string[]; status: string; resolution: string | null; created_at: string; resolved_at: string | null }>(
      sql`SELECT container, key, labels, status, resolution, created_at, resolved_at FROM work_items ORDER BY key`,
    );
    expect(items.map((i) => ({ ...i, created_at: utc(i.created_at), resolved_at: utc(i.resolved_at) }))).toEqual([
      { container: API, key: "100", labels: ["bug"], status: "closed", resolution: "completed", created_at: "2026-03-01T08:00:00Z", resolved_at: "2026-03-02T08:00:00Z" },
      { container: API, key: "101", labels: ["bug"], status: "closed", resolution: "not_planned", created_at: "2026-03-01T08:30:00Z", resolved_at: "2026-03-02T09:00:00Z" },
      { container: API, key: "102", labels: ["incident"], status: "closed", resolution: "completed", created_at: "2026-03-04T16:30:00Z", resolved_at: "2026-03-04T18:00:00Z" },
      { container: API, key: "103", labels: ["feature", "ui"], status: "open", resolution: null, created_at: "2026-03-03T08:00:00Z", resolved_at: null },
    ]);
  });

  it("re-syncs an unchanged repo with one conditional request per stream, all 304, and changes nothing", async () => {
    buildApi(fake);
    await syncGitHub(store(), fake, [API], REST);
    const before = await storedTables(store());
    fake.log.length = 0;
    const again = await syncGitHub(store(), fake, [API], REST);
    expect(again.status).toBe("succeeded");
    expect(again.records).toEqual({});
    // repo, pulls, commits, deployments, releases, issues — plus the statuses of the three deployments without a
    // success yet (d2 failed, d3 has none, d5 is queued), asked again conditionally.
    expect(fake.log.filter((r) => !/\/deployments\/\d+\/statuses/.test(r.request)).map((r) => [r.request.split("?")[0], r.status])).toEqual([
      [`GET /repos/${API}`, 304],
      [`GET /repos/${API}/pulls`, 304],
      [`GET /repos/${API}/commits`, 304],
      [`GET /repos/${API}/deployments`, 304],
      [`GET /repos/${API}/releases`, 304],
      [`GET /repos/${API}/issues`, 304],
    ]);
    expect(fake.log.filter((r) => /\/statuses/.test(r.request)).map((r) => r.status)).toEqual([304, 304, 304]);
    expect(again.requests).toBe(9);
    expect(await storedTables(store())).toEqual(before);
  });

  it("reads only what changed: a new merge, a new status, an edited issue", async () => {
    const { repo, deployments } = buildApi(fake);
    await syncGitHub(store(), fake, [API], REST);
    fake.log.length = 0;
    repo.openPull(8, { title: "Add feature D", branch: "feature-d", at: "2026-03-06T08:00:00Z", commits: [{ message: "D", at: "2026-03-06T08:00:00Z" }] });
    const merged = repo.merge(8, "merge", "2026-03-06T09:00:00Z");
    repo.addStatus(deployments.d5, "success", "2026-03-06T10:00:00Z");
    // d2 failed and is being retried: while it is in progress again it has no record.
    repo.addStatus(deployments.d2, "in_progress", "2026-03-06T10:30:00Z");
    const d6 = repo.deploy({ sha: merged, at: "2026-03-06T11:00:00Z", statuses: [{ state: "success", at: "2026-03-06T11:05:00Z" }] });
    Object.assign(repo.issues.find((i) => i.number === 103)!, { closedAt: "2026-03-06T12:00:00Z", stateReason: "completed", updatedAt: "2026-03-06T12:00:00Z" });

    const run = await syncGitHub(store(), fake, [API], REST);
    expect(run.status).toBe("succeeded");
    // Pulls: #8, and #7 again (updated exactly at the cursor, which is inclusive so a same-second update is not lost).
    // main gained D's commit and the merge commit: the comparison old head...new head names exactly those two.
    expect(run.records).toEqual({ [`${API}:pulls`]: 2, [`${API}:commits`]: 2, [`${API}:deployments`]: 2, [`${API}:issues`]: 1 });
    expect(fake.requests(/\/compare\//)).toHaveLength(1);
    const rows = await store().rows<{ external_id: string; status: string; finished_at: string }>(
      sql`SELECT external_id, status, finished_at FROM deployments WHERE external_id IN (${`${API}/deployments/${deployments.d5}`}, ${`${API}/deployments/${d6}`}) ORDER BY finished_at`,
    );
    expect(rows.map((r) => [r.external_id, r.status, utc(r.finished_at)])).toEqual([
      [`${API}/deployments/${deployments.d5}`, "success", "2026-03-06T10:00:00Z"],
      [`${API}/deployments/${d6}`, "success", "2026-03-06T11:05:00Z"],
    ]);
    expect(await store().rows(sql`SELECT count(*)::int AS n FROM deployments WHERE external_id = ${`${API}/deployments/${deployments.d2}`}`)).toEqual([{ n: 0 }]);
    expect(await store().rows(sql`SELECT pull_number FROM commits WHERE sha = ${merged}`)).toEqual([{ pull_number: 8 }]);
    expect(await store().rows(sql`SELECT status, resolution FROM work_items WHERE key = '103'`)).toEqual([{ status: "closed", resolution: "completed" }]);
  });

  it("after a force push of the default branch, marks the commits that left it and stores the new ones", async () => {
    const repo = fake.repo(API);
    const a = repo.commit("main", "A", "2026-03-01T09:00:00Z");
    const b = repo.commit("main", "B", "2026-03-01T10:00:00Z");
    const c = repo.commit("main", "C", "2026-03-01T11:00:00Z");
    await syncGitHub(store(), fake, [API], REST);
    repo.branches.set("main", a);
    const d = repo.commit("main", "D", "2026-03-01T12:00:00Z");
    const run = await syncGitHub(store(), fake, [API], REST);
    expect(run.status).toBe("succeeded");
    const rows = await store().rows<{ sha: string; on_default_branch: boolean }>(sql`SELECT sha, on_default_branch FROM commits ORDER BY committed_at`);
    expect(rows).toEqual([
      { sha: a, on_default_branch: true },
      { sha: b, on_default_branch: false },
      { sha: c, on_default_branch: false },
      { sha: d, on_default_branch: true },
    ]);
    const cursor = await store().rows(sql`SELECT cursor FROM stream_states WHERE stream = ${`${API}:commits`}`);
    expect(cursor).toEqual([{ cursor: { head: d } }]);
  });

  it("stops a repo that disappeared (404) with one error line while the other repos go on", async () => {
    buildApi(fake);
    const web = fake.repo("acme/web");
    web.commit("main", "Hello", "2026-03-01T09:00:00Z");
    await syncGitHub(store(), fake, [API, "acme/web"], REST);
    const before = await store().rows(sql`SELECT stream, cursor, etag FROM stream_states WHERE stream LIKE 'acme/api:%' ORDER BY stream`);
    fake.repos.get(API)!.gone = true;
    web.commit("main", "World", "2026-03-02T09:00:00Z");
    const run = await syncGitHub(store(), fake, [API, "acme/web"], REST);
    expect(run.status).toBe("partial");
    expect(run.errors).toEqual([`${API}: not found (404) on GET /repos/${API}: the repository does not exist or the token cannot read it`]);
    expect(run.records).toEqual({ "acme/web:commits": 1 });
    expect(await store().rows(sql`SELECT stream, cursor, etag FROM stream_states WHERE stream LIKE 'acme/api:%' ORDER BY stream`)).toEqual(before);
    expect(await store().rows(sql`SELECT count(*)::int AS n FROM pull_requests`)).toEqual([{ n: 7 }]);
    const runs = await store().rows(sql`SELECT status, error FROM sync_runs ORDER BY id DESC LIMIT 1`);
    expect(runs).toEqual([{ status: "partial", error: run.errors[0] }]);
  });

  it("waits out a secondary rate limit (403, Retry-After) in the middle of the pagination and goes on", async () => {
    const repo = fake.repo(API);
    repo.commit("main", "Initial commit", "2026-03-01T00:00:00Z");
    for (let n = 1; n <= 250; n++) {
      repo.openPull(n, { title: `Change ${n}`, branch: `change-${n}`, at: new Date(Date.UTC(2026, 2, 1, 0, n)).toISOString(), commits: [{ message: `Change ${n}`, at: new Date(Date.UTC(2026, 2, 1, 0, n)).toISOString() }] });
    }
    fake.faults.push({ match: (r) => r.includes("/pulls?") && r.includes("page=2"), times: 1, reply: faults.secondaryRateLimit(1) });
    const run = await syncGitHub(store(), fake, [API], REST);
    expect(run.errors).toEqual([]);
    expect(fake.requests(/\/pulls\?/).map((r) => [new URL(r.request.split(" ")[1]!, fake.url).searchParams.get("page"), r.status])).toEqual([
      [null, 200],
      ["2", 403],
      ["2", 200],
      ["3", 200],
    ]);
    expect(run.lines.some((line) => /secondary rate limit.*waiting 1 s/.test(line))).toBe(true);
    expect(await store().rows(sql`SELECT count(*)::int AS n FROM pull_requests`)).toEqual([{ n: 250 }]);
  });

  it("waits for the primary rate limit's reset, and retries 5xx and dropped connections with backoff", async () => {
    buildApi(fake);
    fake.faults.push(
      { match: (r) => r === `GET /repos/${API}`, times: 1, reply: faults.primaryRateLimit() },
      { match: (r) => r.startsWith(`GET /repos/${API}/commits?`), times: 2, reply: faults.serverError() },
      { match: (r) => r.includes("/releases"), times: 1, reply: "drop" },
    );
    const run = await syncGitHub(store(), fake, [API], REST);
    expect(run.errors).toEqual([]);
    expect(fake.requests(new RegExp(`^GET /repos/${API}$`)).map((r) => r.status)).toEqual([403, 200]);
    expect(fake.requests(new RegExp(`^GET /repos/${API}/commits\\?`)).map((r) => r.status)).toEqual([502, 502, 200]);
    expect(fake.requests(/\/releases/).map((r) => r.status)).toEqual([0, 200]);
    expect(await store().rows(sql`SELECT count(*)::int AS n FROM commits`)).toEqual([{ n: 10 }]);
    expect(run.requests).toBe(fake.log.length);
  });

  it("stops the repo on malformed JSON: the failed stream's cursor stays, earlier streams keep theirs, a re-run completes", async () => {
    buildApi(fake);
    fake.faults.push({ match: (r) => r.includes("/releases"), times: 1, reply: faults.malformed() });
    const run = await syncGitHub(store(), fake, [API], REST);
    expect(run.status).toBe("failed");
    expect(run.errors).toEqual([`${API}: malformed response from ${fake.url}/repos/${API}/releases?per_page=100: not JSON`]);
    const streams = await store().rows<{ stream: string }>(sql`SELECT stream FROM stream_states ORDER BY stream`);
    expect(streams.map((s) => s.stream)).toEqual([`${API}:commits`, `${API}:deployments`, `${API}:pulls`, `${API}:repo`]);
    expect(await store().rows(sql`SELECT count(*)::int AS n FROM releases`)).toEqual([{ n: 0 }]);
    // Links are made for what was stored before the failure.
    expect(await store().rows(sql`SELECT count(*)::int AS n FROM commits WHERE pull_number IS NOT NULL`)).toEqual([{ n: 8 }]);

    const rerun = await syncGitHub(store(), fake, [API], REST);
    expect(rerun.status).toBe("succeeded");
    expect(rerun.records).toEqual({ [`${API}:releases`]: 3, [`${API}:issues`]: 4 });
  });

  it("reports a refused token (401) as one line and fails the run", async () => {
    buildApi(fake);
    fake.faults.push({ match: () => true, times: 1, reply: faults.unauthorized() });
    const run = await syncGitHub(store(), fake, [API], REST);
    expect(run.status).toBe("failed");
    expect(run.errors).toEqual([`${API}: GitHub refused the token (401 Bad credentials) on GET /repos/${API}: check sources.github.token`]);
  });

  it("reads only from sources.github.since on the first sync", async () => {
    buildApi(fake);
    const run = await syncGitHub(store(), fake, [API], REST + "    since: 2026-03-04\n");
    // Pulls updated since 03-04: #3 (merged 03-04 09:00), #4, #5, #6, #7; commits from 03-04: C1', C2', typo, #6, #7;
    // deployments created since: d2 (failure), d4 (staging success), d3 and d5 (no record); release rc.1 and v2 draft; issue 102.
    expect(run.records).toEqual({ [`${API}:pulls`]: 5, [`${API}:commits`]: 5, [`${API}:deployments`]: 2, [`${API}:releases`]: 2, [`${API}:issues`]: 1 });
  });

  it("reads GitHub's recorded issue pages (@octokit/fixtures paginate-issues), following their Link headers", async () => {
    fake.repo(API).commit("main", "Initial commit", "2026-03-01T09:00:00Z");
    const pages = recorded("paginate-issues");
    const replay = (index: number) => {
      const page = pages[index]!;
      const link = String(page.headers.link).replaceAll("https://api.github.com", fake.url);
      return { status: page.status, headers: { link }, body: page.response };
    };
    fake.overrides.set(`/repos/${API}/issues`, () => replay(0));
    fake.overrides.set("/repositories/1000/issues", (url) => replay(Number(url.searchParams.get("page")) - 1));
    const run = await syncGitHub(store(), fake, [API], REST);
    expect(run.errors).toEqual([]);
    expect(fake.requests(/issues/).map((r) => r.request.replace(/^GET /, "").split("?")[0])).toEqual([`/repos/${API}/issues`, ...Array(4).fill("/repositories/1000/issues")]);
    const keys = await store().rows<{ key: string }>(sql`SELECT key FROM work_items ORDER BY key::int`);
    expect(keys.map((k) => k.key)).toEqual(["1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12", "13"]);
  });
});
