/**
 * CDEvents in a POST /api/ingest body (inputs.md, "CDEvents"; docs/cdevents.md) become
 * deployment-log entries, stored by the same ingest as every record. What one event means can
 * depend on others, sent before or in the same body: an incident's resolution completes the
 * incident its detection started, and a rollback marks the service's latest earlier
 * deployment. So the events of a body are read against the stored ones, and the entries built
 * from both — a body sent twice, or its events sent one by one, gives the same rows.
 */
import { and, desc, eq, inArray, lte, ne } from "drizzle-orm";
import { checkEvent, type ServiceEvent } from "@/connectors/cdevents/payloads";
import { deploymentRecord, incidentRecord, mergeIncidentEvents, rollbackTarget, SOURCE, type DeploymentEvents, type IncidentEvents } from "@/connectors/cdevents/records";
import { checkRecord, type Accepted, type Entry } from "@/connectors/deploy-log";
import type { Store } from "@/db/client";
import { deployments, incidents } from "@/db/schema";

/** One CDEvent of the body: its line (or position in an array), its text, its parsed value. */
export interface EventItem {
  line: number;
  text: string;
  value: unknown;
}

export interface CDEventEntries {
  entries: Entry[];
  /** CDEvents of types Shipshape does not map (a pipeline run, a build): accepted and not stored. */
  ignored: number;
}

type Line = Pick<EventItem, "line" | "text">;
/** An incident's events in this body, and the lines they came on. */
type SentIncident = { events: IncidentEvents; at: { detected?: Line; resolved?: Line } };

export async function cdeventEntries(store: Store, items: EventItem[]): Promise<CDEventEntries> {
  const entries: Entry[] = [];
  const deployed = new Map<string, { at: Line; events: DeploymentEvents }>();
  const rollbacks: { at: Line; event: ServiceEvent }[] = [];
  const incidentEvents = new Map<string, SentIncident>();
  let ignored = 0;

  for (const item of items) {
    const checked = checkEvent(item.value);
    const at = { line: item.line, text: item.text };
    if (checked.kind === "refused") entries.push({ ok: false, line: item.line, raw: item.text, reason: checked.reason });
    else if (checked.kind === "ignored") ignored++;
    else if (checked.kind === "incident") {
      const id = checked.event.subject.id;
      const known = incidentEvents.get(id) ?? { at: {}, events: {} };
      const events = mergeIncidentEvents(known.events, checked.type, checked.event);
      const which = checked.type === "incident.detected" ? "detected" : "resolved";
      incidentEvents.set(id, { at: events[which] === checked.event ? { ...known.at, [which]: at } : known.at, events });
    } else if (checked.type === "service.rolledback") rollbacks.push({ at, event: checked.event });
    else deployed.set(checked.event.context.id, { at, events: { deployed: checked.event } });
  }

  await keepStoredRollbacks(store, deployed);
  for (const rollback of rollbacks.sort((a, b) => Date.parse(a.event.context.timestamp) - Date.parse(b.event.context.timestamp))) {
    const refusal = await applyRollback(store, deployed, rollback);
    if (refusal) entries.push({ ok: false, line: rollback.at.line, raw: rollback.at.text, reason: refusal });
  }
  for (const { at, events } of deployed.values()) entries.push(asCDEvents(checkRecord(at.line, at.text, deploymentRecord(events)), events));

  const stored = await storedIncidents(store, [...incidentEvents.keys()]);
  for (const [id, sent] of incidentEvents) entries.push(...incidentEntries(id, stored.get(id) ?? {}, sent));
  return { entries, ignored };
}

/**
 * The entries of one incident, from what is stored of it and what this body sends. A resolution
 * without a detection, or before it, is refused with its line; a detection sent with such a
 * resolution is still stored (the incident stays open until a later resolution).
 */
function incidentEntries(id: string, stored: IncidentEvents, sent: SentIncident): Entry[] {
  let merged = stored;
  if (sent.events.detected) merged = mergeIncidentEvents(merged, "incident.detected", sent.events.detected);
  if (sent.events.resolved) merged = mergeIncidentEvents(merged, "incident.resolved", sent.events.resolved);
  const { detected, resolved } = merged;
  const { detected: detectedLine, resolved: resolvedLine } = sent.at;
  const last = [detectedLine, resolvedLine].filter((at) => at !== undefined).sort((a, b) => b.line - a.line)[0]!;
  const record = (at: Line, events: IncidentEvents) => asCDEvents(checkRecord(at.line, at.text, incidentRecord(id, events)!), events);
  const refuse = (at: Line, reason: string): Entry => ({ ok: false, line: at.line, raw: at.text, reason });
  if (!detected) return [refuse(last, `incident.resolved of incident ${JSON.stringify(id)}, which no incident.detected started: send its incident.detected first (this line is kept to send again)`)];
  if (resolved && Date.parse(resolved.context.timestamp) < Date.parse(detected.context.timestamp)) {
    // Only a resolution sent here can be before the detection (a stored pair was checked when stored).
    const refusal = refuse(resolvedLine ?? last, `incident.resolved of incident ${JSON.stringify(id)} at ${resolved.context.timestamp} is before its incident.detected at ${detected.context.timestamp}`);
    return detectedLine ? [refusal, record(detectedLine, { detected })] : [refusal];
  }
  return [record(last, merged)];
}

/** A checked deployment-log entry as a CDEvents record: its tag, and the events as its raw payload. */
export function asCDEvents(entry: Entry, events: DeploymentEvents | IncidentEvents): Entry {
  if (!entry.ok) return entry;
  return { ...entry, row: { ...entry.row, source: SOURCE, raw: events } } as Accepted;
}

/** A deployment sent again after a rollback marked it stays rolled back. */
async function keepStoredRollbacks(store: Store, deployed: Map<string, { events: DeploymentEvents }>): Promise<void> {
  if (deployed.size === 0) return;
  const rows = await store.db
    .select({ id: deployments.externalId, raw: deployments.raw })
    .from(deployments)
    .where(and(eq(deployments.source, SOURCE), eq(deployments.status, "rolled_back"), inArray(deployments.externalId, [...deployed.keys()])));
  for (const row of rows) {
    const rolledback = (row.raw as DeploymentEvents).rolledback;
    const entry = deployed.get(row.id);
    if (entry && rolledback) entry.events.rolledback = rolledback;
  }
}

/**
 * Marks the latest completed deployment of the rollback's service in its environment that
 * finished before it (or at the same instant: CDEvents' own examples send both at once) — of
 * this body or stored — as rolled back; a stored one is written again
 * with the rollback in its payload. Returns why it could not, when no such deployment exists.
 */
async function applyRollback(store: Store, deployed: Map<string, { at: Line; events: DeploymentEvents }>, rollback: { at: Line; event: ServiceEvent }): Promise<string | undefined> {
  const { service, environment, before } = rollbackTarget(rollback.event);
  const inBody = [...deployed.values()]
    .filter(({ events: { deployed: event } }) => event.subject.id === service && event.subject.content.environment.id === environment && Date.parse(event.context.timestamp) <= Date.parse(before))
    .sort((a, b) => Date.parse(b.events.deployed.context.timestamp) - Date.parse(a.events.deployed.context.timestamp))[0];
  const [stored] = await store.db
    .select({ id: deployments.externalId, raw: deployments.raw, finishedAt: deployments.finishedAt })
    .from(deployments)
    .where(and(eq(deployments.source, SOURCE), eq(deployments.service, service), eq(deployments.environment, environment), lte(deployments.finishedAt, before), ne(deployments.status, "failure")))
    .orderBy(desc(deployments.finishedAt))
    .limit(1);
  const storedIsLater = stored && !deployed.has(stored.id) && (!inBody || Date.parse(stored.finishedAt) > Date.parse(inBody.events.deployed.context.timestamp));
  if (storedIsLater) {
    deployed.set(stored.id, { at: rollback.at, events: { deployed: (stored.raw as DeploymentEvents).deployed, rolledback: rollback.event } });
    return undefined;
  }
  if (inBody) {
    inBody.events.rolledback = rollback.event;
    return undefined;
  }
  return `service.rolledback of ${JSON.stringify(service)} in ${JSON.stringify(environment)} at ${before}: no earlier deployment of it in that environment was received, so nothing is marked rolled back (send its service.deployed first; this line is kept to send again)`;
}

async function storedIncidents(store: Store, ids: string[]): Promise<Map<string, IncidentEvents>> {
  if (ids.length === 0) return new Map();
  const rows = await store.db
    .select({ id: incidents.externalId, raw: incidents.raw })
    .from(incidents)
    .where(and(eq(incidents.source, SOURCE), inArray(incidents.externalId, ids)));
  return new Map(rows.map((row) => [row.id, row.raw as IncidentEvents]));
}
