/**
 * A reference computation of the cheap code KPIs of kpis.md (releases, bug_fixes,
 * features_shipped) over in-memory records, for the property test (../reference.test.ts). The
 * project is the test configuration's "fraud": repos acme/fraud-api and acme/fraud-model, Jira FRD.
 */
import { type RefValue, type RefWindow } from "./dora";

export interface RefRelease {
  repo: string;
  tag: string;
  publishedAt: string;
  draft: boolean;
  prerelease: boolean;
}

/** A GitHub issue (container: the repo) or a Jira issue (container: the project key). */
export interface RefWorkItem {
  source: "github" | "jira";
  container: string;
  key: string;
  labels: string[];
  /** Jira only. */
  issueType: string | null;
  resolvedAt: string | null;
  /** GitHub: completed or not_planned; Jira: Done, Won't Do, … (null while unresolved). */
  resolution: string | null;
}

const PROJECT_REPOS = ["acme/fraud-api", "acme/fraud-model"];
const PROJECT_JIRA_KEYS = ["FRD"];
const NOT_DONE = ["won't do", "won't fix", "duplicate", "cannot reproduce", "declined"];
const inWindow = (iso: string, w: RefWindow) => Date.parse(iso) >= Date.parse(w.start) && Date.parse(iso) < Date.parse(w.end);

const count = (n: number): RefValue => ({ value: n, sample_size: n });

/** Resolved as done in the window (kpis.md, "Resolved as done"): Jira not a not-done resolution; GitHub closed as completed. */
function resolvedAsDoneIn(item: RefWorkItem, w: RefWindow): boolean {
  if (!item.resolvedAt || !inWindow(item.resolvedAt, w)) return false;
  return item.source === "github" ? item.resolution === "completed" : !NOT_DONE.includes((item.resolution ?? "").toLowerCase());
}

const ofProject = (item: RefWorkItem) => (item.source === "github" ? PROJECT_REPOS : PROJECT_JIRA_KEYS).includes(item.container);
const lower = (names: string[]) => names.map((n) => n.toLowerCase());

/** A bug or a feature by the default rules: Jira issue types, GitHub labels (an issue counts once however many match). */
function isKind(item: RefWorkItem, jiraTypes: string[], githubLabels: string[]): boolean {
  if (item.source === "jira") return lower(jiraTypes).includes((item.issueType ?? "").toLowerCase());
  return lower(item.labels).some((label) => lower(githubLabels).includes(label));
}

export function referenceCode(releases: RefRelease[], items: RefWorkItem[], w: RefWindow): Record<string, RefValue> {
  const done = items.filter((item) => ofProject(item) && resolvedAsDoneIn(item, w));
  return {
    releases: count(releases.filter((r) => PROJECT_REPOS.includes(r.repo) && !r.draft && !r.prerelease && inWindow(r.publishedAt, w)).length),
    bug_fixes: count(done.filter((item) => isKind(item, ["Bug"], ["bug"])).length),
    features_shipped: count(done.filter((item) => isKind(item, ["Story", "Feature", "New Feature"], ["enhancement", "feature"])).length),
  };
}
