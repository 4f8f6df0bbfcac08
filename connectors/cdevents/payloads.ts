/**
 * CDEvents (cdevents.dev) as POST /api/ingest takes them (docs/cdevents.md): CloudEvents JSON
 * whose `context.type` starts `dev.cdevents.`. The shapes are the spec's JSON schemas of
 * versions 0.3 and 0.4 (schemas/servicedeployed.json … incidentresolved.json): the fields
 * Shipshape reads are checked as those schemas state them (required, types, date-time), other
 * fields (0.4's `links`, `chainId`, `customData`) are let through unread.
 */
import { z } from "zod";

/** `dev.cdevents.<subject>.<predicate>.<event version>`, e.g. dev.cdevents.service.deployed.0.2.0. */
const TYPE = /^dev\.cdevents\.([a-z]+)\.([a-z]+)\.(\d+\.\d+\.\d+)(?:-[\w.]+)?$/;
/** The spec versions read; `context.version` says which one an event follows. */
const SPEC_VERSIONS = /^0\.[34]\.\d+(?:-[\w.]+)?$/;

/** The event types Shipshape maps, by `<subject>.<predicate>`; every other CDEvents type is ignored. */
export const MAPPED_TYPES = ["service.deployed", "service.upgraded", "service.rolledback", "incident.detected", "incident.resolved"] as const;
export type MappedType = (typeof MAPPED_TYPES)[number];

/** Whether a parsed JSON value is meant as a CDEvent (and not a deployment-log record). */
export function isCDEvent(value: unknown): boolean {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const context = (value as { context?: unknown }).context;
  const type = typeof context === "object" && context !== null ? (context as { type?: unknown }).type : undefined;
  return typeof type === "string" && type.startsWith("dev.cdevents.");
}

const nonEmpty = z.string().min(1, "must not be empty");
const reference = z.looseObject({ id: nonEmpty, source: nonEmpty.optional() });
/** RFC 3339 date-time: an offset or Z is part of the format. */
const timestamp = z.iso.datetime({ offset: true, message: "must be an RFC 3339 timestamp with an offset or Z" });

const context = z.looseObject({ version: nonEmpty, id: nonEmpty, source: nonEmpty, type: nonEmpty, timestamp });

const serviceEvent = z.looseObject({
  context,
  subject: z.looseObject({
    id: nonEmpty,
    type: z.literal("service"),
    content: z.looseObject({ environment: reference, artifactId: nonEmpty }),
  }),
});

const incidentEvent = z.looseObject({
  context,
  subject: z.looseObject({
    id: nonEmpty,
    type: z.literal("incident"),
    content: z.looseObject({ environment: reference, service: reference.optional(), description: z.string().optional(), artifactId: nonEmpty.optional() }),
  }),
});

export type ServiceEvent = z.infer<typeof serviceEvent>;
export type IncidentEvent = z.infer<typeof incidentEvent>;

/** A CDEvent checked against its type's shape: one Shipshape maps, one it ignores, or why it is refused. */
export type CheckedEvent =
  | { kind: "service"; type: "service.deployed" | "service.upgraded" | "service.rolledback"; event: ServiceEvent }
  | { kind: "incident"; type: "incident.detected" | "incident.resolved"; event: IncidentEvent }
  | { kind: "ignored"; type: string }
  | { kind: "refused"; reason: string };

export function checkEvent(value: unknown): CheckedEvent {
  const { context: raw } = value as { context: { type: string; version?: unknown } };
  const match = TYPE.exec(raw.type);
  if (!match) return { kind: "refused", reason: `context.type ${JSON.stringify(raw.type)} is not a CDEvents type (dev.cdevents.<subject>.<predicate>.<version>)` };
  if (typeof raw.version !== "string" || !SPEC_VERSIONS.test(raw.version)) {
    return { kind: "refused", reason: `context.version ${JSON.stringify(raw.version ?? null)} is not a CDEvents spec version Shipshape reads (0.3 or 0.4)` };
  }
  const type = `${match[1]}.${match[2]}`;
  if (!(MAPPED_TYPES as readonly string[]).includes(type)) return { kind: "ignored", type };
  const mapped = type as MappedType;
  if (mapped.startsWith("service.")) {
    const result = serviceEvent.safeParse(value);
    return result.success ? { kind: "service", type: mapped as "service.deployed", event: result.data } : refused(type, result.error, value);
  }
  const result = incidentEvent.safeParse(value);
  return result.success ? { kind: "incident", type: mapped as "incident.detected", event: result.data } : refused(type, result.error, value);
}

/** "a service.deployed event: subject.content.environment.id: missing" — the first problem, by its path. */
function refused(type: string, error: z.ZodError, value: unknown): CheckedEvent {
  const issue = error.issues[0]!;
  const path = issue.path.join(".");
  const found = issue.path.reduce<unknown>((at, key) => (typeof at === "object" && at !== null ? (at as Record<PropertyKey, unknown>)[key as PropertyKey] : undefined), value);
  const more = error.issues.length > 1 ? ` (and ${error.issues.length - 1} more)` : "";
  if (found === undefined) return { kind: "refused", reason: `a ${type} event without ${path}${more}` };
  const problem = issue.code === "invalid_type" ? `must be a ${issue.expected}` : issue.code === "invalid_value" ? `must be ${issue.values.map((v) => JSON.stringify(v)).join(" or ")}` : issue.message;
  return { kind: "refused", reason: `a ${type} event whose ${path} ${problem} (got ${preview(found)})${more}` };
}

function preview(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 40 ? `${text.slice(0, 39)}…` : text;
}
