/**
 * CDEvents → deployment-log records (inputs.md, "CDEvents"; docs/cdevents.md). Pure functions:
 * a service.deployed or service.upgraded is a successful deployment, a service.rolledback marks
 * the one it rolls back, and an incident's detected and resolved events are one incident. The
 * records are checked by the deployment log's own schemas afterwards, so a CDEvent and the
 * equivalent deployment-log line give the same row.
 */
import type { IncidentEvent, ServiceEvent } from "./payloads";

/** The record tag of what CDEvents give: their ids are CDEvents ids, a key space of their own. */
export const SOURCE = "cdevents";

/** What a deployment from CDEvents keeps as its raw payload: the event, and the rollback that marked it. */
export interface DeploymentEvents {
  deployed: ServiceEvent;
  rolledback?: ServiceEvent;
}

/** What an incident from CDEvents keeps as its raw payload: the events it was built from. */
export interface IncidentEvents {
  detected?: IncidentEvent;
  resolved?: IncidentEvent;
}

/** The deployment-log record of a deployed (or upgraded) service, rolled back when a rollback marked it. */
export function deploymentRecord({ deployed, rolledback }: DeploymentEvents): Record<string, unknown> {
  const { context, subject } = deployed;
  return {
    type: "deployment",
    id: context.id,
    service: subject.id,
    environment: subject.content.environment.id,
    status: rolledback ? "rolled_back" : "success",
    finished_at: context.timestamp,
    version: subject.content.artifactId,
  };
}

/** The deployment-log record of an incident: detected starts it, resolved resolves it; undefined before it was detected. */
export function incidentRecord(id: string, { detected, resolved }: IncidentEvents): Record<string, unknown> | undefined {
  if (!detected) return undefined;
  const service = detected.subject.content.service?.id ?? resolved?.subject.content.service?.id;
  return {
    type: "incident",
    id,
    started_at: detected.context.timestamp,
    resolved_at: resolved?.context.timestamp,
    service,
    title: detected.subject.content.description,
  };
}

/** The earliest detection and the latest resolution win: a detection sent again later does not move the start. */
export function mergeIncidentEvents(known: IncidentEvents, type: "incident.detected" | "incident.resolved", event: IncidentEvent): IncidentEvents {
  const at = Date.parse(event.context.timestamp);
  if (type === "incident.detected") {
    return !known.detected || at < Date.parse(known.detected.context.timestamp) ? { ...known, detected: event } : known;
  }
  return !known.resolved || at >= Date.parse(known.resolved.context.timestamp) ? { ...known, resolved: event } : known;
}

/** Where a rollback applies: the same service in the same environment, before the rollback, a completed deployment. */
export function rollbackTarget(rollback: ServiceEvent): { service: string; environment: string; before: string } {
  return { service: rollback.subject.id, environment: rollback.subject.content.environment.id, before: rollback.context.timestamp };
}
