/**
 * A reference computation of the DORA KPIs, straight from kpis.md over in-memory records: no SQL,
 * no index ranges, nothing clever. For each deployment it walks the commit graph through every
 * parent, so it is slow and obviously right; the property test (../reference.test.ts) checks the
 * engine's report against it. Read it as the definitions written out as code.
 */

export interface RefCommit {
  sha: string;
  parents: string[];
  authoredAt: string;
}

export interface RefPullRequest {
  number: number;
  title: string;
  /** The pull request this one reverts, or null. */
  reverts: number | null;
  /** The merge (or squash) commit on the default branch. */
  mergeCommitSha: string;
  /** The PR's own commits as GitHub lists them (sha, authored at). */
  commits: [string, string][];
  labels: string[];
  headRef: string;
}

export interface RefDeployment {
  /** Insertion order: the tie-break between deployments finishing at the same instant. */
  order: number;
  environment: string;
  status: "success" | "rolled_back" | "failure";
  finishedAt: string;
  commitSha: string | null;
  hotfix: boolean;
}

/** An incident naming the project's service (the reference covers no other attribution path). */
export interface RefIncident {
  startedAt: string;
  resolvedAt: string | null;
}

export interface RefHistory {
  commits: RefCommit[];
  pullRequests: RefPullRequest[];
  deployments: RefDeployment[];
  incidents: RefIncident[];
}

/** The report window as instants: [start, end). */
export interface RefWindow {
  start: string;
  end: string;
  days: number;
}

export interface RefValue {
  value: number | null;
  sample_size: number;
}

const INCIDENT_WINDOW_HOURS = 168;
const HOUR = 3_600_000;
const ms = (iso: string) => new Date(iso).getTime();
const hoursBetween = (from: string, to: string) => (ms(to) - ms(from)) / HOUR;
const inWindow = (iso: string, window: RefWindow) => ms(iso) >= ms(window.start) && ms(iso) < ms(window.end);

/** The interpolated median (kpis.md, "Median"), null for no samples. */
export function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** A production environment (default production, prod; case-insensitive) and a status that reached it. */
export const isCompletedProduction = (d: RefDeployment) =>
  ["production", "prod"].includes(d.environment.toLowerCase()) && (d.status === "success" || d.status === "rolled_back");

/** Every commit in the history of `sha`, itself included, through every parent: `git log <sha>`. */
function history(sha: string, bySha: Map<string, RefCommit>): Set<string> {
  const seen = new Set<string>();
  const stack = [sha];
  while (stack.length) {
    const next = stack.pop()!;
    const commit = bySha.get(next);
    if (!commit || seen.has(next)) continue;
    seen.add(next);
    stack.push(...commit.parents);
  }
  return seen;
}

/** Completed production deployments in the order they finished. */
const completedInOrder = (h: RefHistory) =>
  h.deployments.filter(isCompletedProduction).sort((a, b) => ms(a.finishedAt) - ms(b.finishedAt) || a.order - b.order);

/**
 * What each completed production deployment ships: the commits of its history that no earlier
 * one had (`git log <every earlier deployed commit>..<deployed>`), so a redeploy or rollback ships nothing.
 */
export function shippedCommitsByDeployment(h: RefHistory): Map<RefDeployment, string[]> {
  const bySha = new Map(h.commits.map((c) => [c.sha, c]));
  const deployedBefore = new Set<string>();
  const shipped = new Map<RefDeployment, string[]>();
  for (const d of completedInOrder(h)) {
    const own = d.commitSha ? [...history(d.commitSha, bySha)].filter((sha) => !deployedBefore.has(sha)) : [];
    own.forEach((sha) => deployedBefore.add(sha));
    shipped.set(d, own);
  }
  return shipped;
}

interface RefChange {
  pull: RefPullRequest | null;
  start: string;
}

/**
 * The change a shipped commit is (kpis.md, "Change"): the PR whose merge commit it is; else a
 * lone commit when no PR lists it and it is no merge (a merged branch brings changes, is none).
 */
function changeOf(commit: RefCommit, h: RefHistory): RefChange | null {
  const pull = h.pullRequests.find((p) => p.mergeCommitSha === commit.sha);
  if (pull) return { pull, start: pull.commits.map(([, authored]) => authored).sort((a, b) => ms(a) - ms(b))[0] ?? commit.authoredAt };
  const listed = h.pullRequests.some((p) => p.commits.some(([sha]) => sha === commit.sha));
  return listed || commit.parents.length > 1 ? null : { pull: null, start: commit.authoredAt };
}

const isHotfixPull = (p: RefPullRequest) => p.labels.some((l) => l.toLowerCase() === "hotfix") || p.headRef.startsWith("hotfix/");

/** The deployment an incident is attributed to: the latest completed production one at most 168 h before it started. */
function attributedDeployment(incident: RefIncident, h: RefHistory): RefDeployment | null {
  const candidates = completedInOrder(h).filter(
    (d) => ms(d.finishedAt) < ms(incident.startedAt) && hoursBetween(d.finishedAt, incident.startedAt) <= INCIDENT_WINDOW_HOURS,
  );
  return candidates.at(-1) ?? null;
}

/** The five DORA KPIs of kpis.md over `window`. */
export function referenceDora(h: RefHistory, window: RefWindow): Record<string, RefValue> {
  const bySha = new Map(h.commits.map((c) => [c.sha, c]));
  const completed = completedInOrder(h).filter((d) => inWindow(d.finishedAt, window));
  const shipped = shippedCommitsByDeployment(h);
  const changes = (d: RefDeployment) =>
    shipped
      .get(d)!
      .map((sha) => changeOf(bySha.get(sha)!, h))
      .filter((c): c is RefChange => c !== null);
  const failed = new Set(h.incidents.map((i) => attributedDeployment(i, h)));
  // Beyond kpis.md's "Failed change" (rolled back, or an incident attributed): the engine also
  // fails a deployment that shipped a pull request a later merged one reverts
  // (lib/kpis/definitions/change-failure-rate.ts). Written here as the engine's rule, to be settled in the spec.
  const reverted = (d: RefDeployment) => changes(d).some((c) => c.pull !== null && h.pullRequests.some((p) => p.reverts === c.pull!.number));
  const hotfix = (d: RefDeployment) => d.hotfix || changes(d).some((c) => c.pull !== null && isHotfixPull(c.pull));
  const percent = (count: number) => ({ value: completed.length ? (count / completed.length) * 100 : null, sample_size: completed.length });
  const leadTimes = completed.flatMap((d) => changes(d).map((c) => hoursBetween(c.start, d.finishedAt)));
  const restores = h.incidents.filter((i) => i.resolvedAt && inWindow(i.resolvedAt, window)).map((i) => hoursBetween(i.startedAt, i.resolvedAt!));
  return {
    deployment_frequency: { value: completed.length / window.days, sample_size: completed.length },
    lead_time_for_changes: { value: median(leadTimes), sample_size: leadTimes.length },
    change_failure_rate: percent(completed.filter((d) => d.status === "rolled_back" || failed.has(d) || reverted(d)).length),
    time_to_restore: { value: median(restores), sample_size: restores.length },
    rework_rate: percent(completed.filter(hotfix).length),
  };
}
