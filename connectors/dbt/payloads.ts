/**
 * The parts of dbt's artifacts that Shipshape reads (docs/dbt.md), as dbt's published JSON
 * schemas (schemas.getdbt.com) define them: run-results v4–v6, sources v3 and manifest v9–v12 —
 * the versions dbt 1.5 and later write. A file says what it is in `metadata.dbt_schema_version`.
 *
 * Fields Shipshape reads are checked as strictly as the schema states them (required, type,
 * the status values of that version); every other field is let through unread, so a newer dbt
 * patch release that adds a field does not lose a team its data-quality issues.
 */
import { z } from "zod";

/** The artifacts read, by the name in their schema URL, and the schema versions of each. */
export const READ_VERSIONS = { "run-results": [4, 5, 6], sources: [3], manifest: [9, 10, 11, 12] } as const;
/** dbt artifacts a glob may also match that carry nothing Shipshape counts: skipped, not failed. */
export const UNREAD_KINDS = ["catalog", "semantic-manifest", "semantic_manifest"];

export type ArtifactKind = keyof typeof READ_VERSIONS;
export type SchemaVersion = { kind: ArtifactKind; version: number } | { kind: "unread"; name: string };

/** `https://schemas.getdbt.com/dbt/run-results/v5.json` → run-results, 5. */
const SCHEMA_URL = /^https?:\/\/schemas\.getdbt\.com\/dbt\/([a-z_-]+)\/v(\d+)(?:\.json|\/.*)?$/;

export class DbtArtifactError extends Error {}

/** What the file is, from its `metadata.dbt_schema_version`; a DbtArtifactError when Shipshape does not read it. */
export function schemaVersionOf(document: unknown): SchemaVersion {
  const metadata = isObject(document) ? document.metadata : undefined;
  const url = isObject(metadata) ? metadata.dbt_schema_version : undefined;
  if (typeof url !== "string") throw new DbtArtifactError("not a dbt artifact: it has no metadata.dbt_schema_version");
  const match = SCHEMA_URL.exec(url);
  const name = match?.[1];
  if (name && UNREAD_KINDS.includes(name)) return { kind: "unread", name };
  const versions = name && name in READ_VERSIONS ? (READ_VERSIONS[name as ArtifactKind] as readonly number[]) : undefined;
  const version = Number(match?.[2]);
  if (!versions || !versions.includes(version)) throw new DbtArtifactError(`unknown schema version ${url} (Shipshape reads ${supported()}: dbt 1.5 and later)`);
  return { kind: name as ArtifactKind, version };
}

const supported = () =>
  Object.entries(READ_VERSIONS)
    .map(([kind, versions]) => `${kind} ${versions.length > 1 ? `v${versions[0]}–v${versions.at(-1)}` : `v${versions[0]}`}`)
    .join(", ");

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

const nullableString = z.string().nullable();

/** BaseArtifactMetadata: only dbt_schema_version is required by every schema; generated_at is what dates a run. */
const metadata = z.looseObject({
  dbt_schema_version: z.string(),
  dbt_version: z.string().optional(),
  generated_at: z.string().optional(),
  invocation_id: nullableString.optional(),
});

// ---- run_results.json ---------------------------------------------------------------------

/** RunStatus | TestStatus | FreshnessStatus, as each version lists them. */
const runStatuses = {
  4: ["success", "error", "skipped", "pass", "fail", "warn", "runtime error"],
  5: ["success", "error", "skipped", "pass", "fail", "warn", "runtime error"],
  6: ["success", "error", "skipped", "partial success", "no-op", "pass", "fail", "warn", "runtime error"],
} as const;

function runResultsSchema(version: 4 | 5 | 6) {
  // v4 lets message and failures be absent; v5 and v6 require them (null when there is nothing to say).
  const maybe = <T extends z.ZodType>(schema: T) => (version === 4 ? schema.optional() : schema);
  const result = z.looseObject({
    unique_id: z.string(),
    status: z.enum(runStatuses[version]),
    message: maybe(nullableString),
    failures: maybe(z.number().int().nullable()),
  });
  return z.looseObject({ metadata, results: z.array(result) });
}

export const runResultsSchemas = { 4: runResultsSchema(4), 5: runResultsSchema(5), 6: runResultsSchema(6) };
export type RunResults = z.infer<(typeof runResultsSchemas)[4]>;
export type RunResult = RunResults["results"][number];

// ---- sources.json -------------------------------------------------------------------------

/** SourceFreshnessOutput (a freshness query that ran) or SourceFreshnessRuntimeError (one that could not). */
const freshnessResult = z.union([
  z.looseObject({
    unique_id: z.string(),
    status: z.enum(["pass", "warn", "error", "runtime error"]),
    max_loaded_at: z.string(),
    snapshotted_at: z.string(),
  }),
  z.looseObject({ unique_id: z.string(), status: z.literal("runtime error"), error: z.union([z.string(), z.number().int(), z.null()]) }),
]);

export const sourcesSchemas = { 3: z.looseObject({ metadata, results: z.array(freshnessResult) }) };
export type SourcesArtifact = z.infer<(typeof sourcesSchemas)[3]>;
export type FreshnessResult = SourcesArtifact["results"][number];

// ---- manifest.json ------------------------------------------------------------------------

/**
 * A node of the manifest: every kind has resource_type and unique_id; a test has depends_on
 * (default empty) and, from v9 on, a generic test has attached_node (null when it tests nothing
 * in particular). Only tests are kept (manifests of big projects hold tens of thousands of nodes).
 */
const manifestNode = z.looseObject({
  unique_id: z.string(),
  resource_type: z.string(),
  attached_node: nullableString.optional(),
  depends_on: z.looseObject({ nodes: z.array(z.string()).optional() }).optional(),
});

const manifestSchema = z.looseObject({ metadata, nodes: z.record(z.string(), manifestNode) });
export const manifestSchemas = { 9: manifestSchema, 10: manifestSchema, 11: manifestSchema, 12: manifestSchema };
export type Manifest = z.infer<typeof manifestSchema>;

/** A zod problem as "results[3].status must be one of …" or "missing field metadata". */
export function describeIssues(error: z.ZodError, document: unknown): string {
  const issue = innermost(error.issues[0]!);
  const path = issue.path.reduce<string>((text, part) => (typeof part === "number" ? `${text}[${part}]` : text ? `${text}.${String(part)}` : String(part)), "");
  const value = issue.path.reduce<unknown>((at, part) => (isObject(at) || Array.isArray(at) ? (at as Record<PropertyKey, unknown>)[part as PropertyKey] : undefined), document);
  const more = error.issues.length > 1 ? ` (and ${error.issues.length - 1} more problem${error.issues.length > 2 ? "s" : ""})` : "";
  if (value === undefined) return `missing field ${path}${more}`;
  if (issue.code === "invalid_value") return `${path} must be one of ${issue.values.map(String).join(", ")} (got ${JSON.stringify(value)})${more}`;
  return `${path} ${issue.message.replace(/^Invalid input: expected/, "must be").toLowerCase()} (got ${JSON.stringify(value)?.slice(0, 40)})${more}`;
}

/** A union's problem is that of the alternative it came closest to (fewest problems), with the full path. */
function innermost(issue: z.core.$ZodIssue): z.core.$ZodIssue {
  if (issue.code !== "invalid_union" || issue.errors.length === 0) return issue;
  const closest = issue.errors.reduce((best, branch) => (branch.length < best.length ? branch : best));
  const inner = innermost(closest[0]!);
  return { ...inner, path: [...issue.path, ...inner.path] } as z.core.$ZodIssue;
}
