/**
 * Enricher: places a repo's default-branch commits on the branch's line (`commits.line_position`
 * and `landed_position`, db/schema/code-history.ts), so "what did this deployment ship that no
 * earlier one did" (`git log <earlier>..<deployed>`, every parent) is an index range instead of a
 * walk over the whole history (lib/kpis/entities/changes.ts).
 *
 * The line is the head's first-parent chain, numbered from its oldest stored commit. A commit
 * that came in through a merge's second parent (a merged `develop`, a pull request's own
 * commits) lands at the first line commit whose history holds it. Since every line commit's
 * history contains the previous one's, the history of line commit number L is exactly the
 * commits landed at 1..L.
 *
 * Incremental: a sync that only added commits on top of the stored head numbers the new line
 * commits on from the old top and places the new commits behind them; it reads only the commits
 * not yet placed. Anything else — a force push (commits left the branch), a new head whose
 * first-parent chain does not run through the old top (a `git pull` merge pushed to the branch,
 * with the old line as its second parent), a commit left unplaced — places the repo again from
 * scratch, which gives the same numbers an uninterrupted history would.
 */
import { sql } from "drizzle-orm";
import type { Store } from "@/db/client";

type Stored = {
  sha: string;
  parents: string[];
  line: number | null;
  /** 0: on the branch but not in the head's stored history; null: not placed yet. */
  landed: number | null;
  committed_at: string | null;
};

interface Place {
  sha: string;
  line: number | null;
  landed: number;
}

const WRITE_BATCH = 5000;

export async function placeCommits(store: Store, repo: string): Promise<void> {
  const left = await store.rows(sql`
    UPDATE commits SET line_position = NULL, landed_position = NULL
    WHERE repo = ${repo} AND NOT on_default_branch AND landed_position IS NOT NULL
    RETURNING 1 AS left_branch`);
  if (left.length === 0) {
    const unplaced = await store.rows<Stored>(sql`
      SELECT sha, parents, line_position AS line, landed_position AS landed, committed_at::text FROM commits
      WHERE repo = ${repo} AND on_default_branch AND (landed_position IS NULL OR landed_position = 0)`);
    if (!unplaced.some((commit) => commit.landed === null)) return;
    const [top] = await store.rows<{ sha: string; line: number }>(sql`
      SELECT sha, line_position AS line FROM commits WHERE repo = ${repo} AND line_position IS NOT NULL
      ORDER BY line_position DESC LIMIT 1`);
    const places = place(unplaced, top);
    if (places) return writePlaces(store, repo, places);
  }
  // From scratch: every default-branch commit, written only where its place changed.
  const stored = await store.rows<Stored>(sql`
    SELECT sha, parents, line_position AS line, landed_position AS landed, committed_at::text FROM commits
    WHERE repo = ${repo} AND on_default_branch`);
  const places = place(stored)!;
  const before = new Map(stored.map((commit) => [commit.sha, commit]));
  await writePlaces(
    store,
    repo,
    places.filter((p) => before.get(p.sha)!.line !== p.line || before.get(p.sha)!.landed !== p.landed),
  );
}

/**
 * Places `commits` above the stored line's `top` (from scratch without one): the new line from
 * the head down to `top`, numbered on from it, and behind each new line commit the commits it
 * brings in. Null when the commits do not continue the stored line (the caller starts over).
 */
function place(commits: Stored[], top?: { sha: string; line: number }): Place[] | null {
  const incremental = top !== undefined;
  const bySha = new Map(commits.map((commit) => [commit.sha, commit]));
  const head = chooseHead(commits, bySha, incremental);
  if (!head) return incremental ? null : [];

  // The new part of the line: first parents from the head down to the stored top (or the root).
  const line: Stored[] = [];
  let commit: Stored | undefined = head;
  let below: string | undefined;
  while (commit) {
    line.push(commit);
    below = commit.parents[0];
    commit = below === undefined ? undefined : bySha.get(below);
  }
  if (incremental && below !== top.sha) return null;

  const places = new Map<string, Place>();
  let position = top?.line ?? 0;
  for (const lineCommit of line.reverse()) {
    position += 1;
    places.set(lineCommit.sha, { sha: lineCommit.sha, line: position, landed: position });
    // What this line commit brings in beyond the previous one: its other parents' history not placed yet.
    const stack = lineCommit.parents.slice(1);
    while (stack.length) {
      const sha = stack.pop()!;
      const brought = bySha.get(sha);
      if (!brought || places.has(sha)) continue;
      places.set(sha, { sha, line: null, landed: position });
      stack.push(...brought.parents);
    }
  }
  for (const rest of commits) {
    if (places.has(rest.sha) || rest.landed === 0) continue;
    if (incremental) return null;
    places.set(rest.sha, { sha: rest.sha, line: null, landed: 0 });
  }
  return [...places.values()];
}

/**
 * The branch head: the commit no other default-branch commit has as a parent. Placing from
 * scratch with several such commits (stored commits the head's history does not reach), the one
 * with the largest history wins; incrementally, anything but exactly one new head means the
 * stored places do not continue.
 */
function chooseHead(commits: Stored[], bySha: Map<string, Stored>, incremental: boolean): Stored | undefined {
  const parents = new Set(commits.flatMap((commit) => commit.parents));
  const heads = commits.filter((commit) => !parents.has(commit.sha));
  // Incrementally, only the new commits can hold the head: unreachable ones (placed at 0) stay where they are.
  if (incremental) {
    const fresh = heads.filter((commit) => commit.landed === null);
    return fresh.length === 1 ? fresh[0] : undefined;
  }
  if (heads.length <= 1) return heads[0];
  const size = (start: Stored) => {
    const seen = new Set<string>();
    const stack = [start.sha];
    while (stack.length) {
      const sha = stack.pop()!;
      const commit = bySha.get(sha);
      if (!commit || seen.has(sha)) continue;
      seen.add(sha);
      stack.push(...commit.parents);
    }
    return seen.size;
  };
  const ranked = heads.map((commit) => ({ commit, size: size(commit) }));
  ranked.sort((a, b) => b.size - a.size || (b.commit.committed_at ?? "").localeCompare(a.commit.committed_at ?? "") || a.commit.sha.localeCompare(b.commit.sha));
  return ranked[0]!.commit;
}

async function writePlaces(store: Store, repo: string, places: Place[]): Promise<void> {
  if (places.length === 0) return;
  await store.db.transaction(async (tx) => {
    for (let i = 0; i < places.length; i += WRITE_BATCH) {
      await tx.execute(sql`
        UPDATE commits SET line_position = p.line, landed_position = p.landed
        FROM json_to_recordset(${JSON.stringify(places.slice(i, i + WRITE_BATCH))}::json) AS p(sha text, line integer, landed integer)
        WHERE commits.repo = ${repo} AND commits.sha = p.sha`);
    }
  });
}
