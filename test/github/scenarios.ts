/** Larger repos for the kill and request-count tests, built the same way every time. */
import type { FakeGitHub } from "./fake-github";

const minute = (n: number) => new Date(Date.UTC(2026, 0, 1) + n * 60_000).toISOString().replace(".000Z", "Z");

export interface BusyRepoShape {
  pulls: number;
  /** One production deployment (with a success status) after every this many merges. */
  deployEvery: number;
  releaseEvery: number;
  issues: number;
}

/**
 * `pulls` pull requests, each with two commits and an approval, merged in turn by merge commit,
 * squash and rebase; deployments of the default branch's head, releases, and issues.
 */
export function buildBusyRepo(fake: FakeGitHub, name: string, shape: BusyRepoShape) {
  const repo = fake.repo(name);
  let t = 0;
  repo.commit("main", "Initial commit", minute(t++));
  const methods = ["merge", "squash", "rebase"] as const;
  for (let n = 1; n <= shape.pulls; n++) {
    repo.openPull(n, {
      title: `Change ${n}`,
      branch: `change-${n}`,
      at: minute(t),
      labels: n % 7 === 0 ? ["hotfix"] : [],
      commits: [
        { message: `Change ${n}, part 1`, at: minute(t++) },
        { message: `Change ${n}, part 2`, at: minute(t++) },
      ],
    });
    repo.review(n, "APPROVED", minute(t++));
    const merged = repo.merge(n, methods[n % 3]!, minute(t++));
    if (n % shape.deployEvery === 0) repo.deploy({ sha: merged, at: minute(t++), statuses: [{ state: "success", at: minute(t++) }] });
    if (n % shape.releaseEvery === 0) repo.release(`v1.${n}.0`, { at: minute(t++) });
  }
  for (let n = 1; n <= shape.issues; n++) {
    const number = shape.pulls + n;
    const closed = n % 2 === 0 ? minute(t + n) : null;
    repo.issue({ number, title: `Issue ${n}`, labels: [n % 3 === 0 ? "incident" : "bug"], createdAt: minute(n), closedAt: closed, stateReason: closed ? "completed" : null });
  }
  return repo;
}
