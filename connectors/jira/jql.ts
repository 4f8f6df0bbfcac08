/**
 * The JQL the connector sends. Jira reads a date in JQL in the *requesting account's* time
 * zone and to the minute, so an instant is written as that zone's wall-clock minute (rounded
 * down: the bound is inclusive, nothing is skipped).
 */
import { tz, tzOffset } from "@date-fns/tz";
import { format } from "date-fns";

/** Where a search starts: an instant (a cursor) or a calendar date (`since`, midnight in the account's zone). */
export type UpdatedFrom = { instant: Date } | { date: string } | null;

/** The project's issues updated from `from` on, oldest update first, so a cursor can follow the pages. */
export function projectIssuesJql(projectKey: string, from: UpdatedFrom, zone: string): string {
  const clauses = [`project = ${quote(projectKey)}`];
  if (from) clauses.push(`updated >= ${quote("date" in from ? from.date : jqlMinute(from.instant, zone))}`);
  return `${clauses.join(" AND ")} ORDER BY updated ASC, key ASC`;
}

/** Issues by id (Jira ids are numbers; anything else is refused rather than sent). */
export function issuesByIdJql(ids: string[]): string {
  const bad = ids.find((id) => !/^\d+$/.test(id));
  if (bad !== undefined) throw new Error(`not a Jira issue id: "${bad}"`);
  return `id in (${ids.join(", ")}) ORDER BY key ASC`;
}

/**
 * `yyyy-MM-dd HH:mm` in `zone`, for a lower bound. When the zone's offset changes within the
 * next hour (a DST change), the bound steps back an hour: after a fall-back the same wall-clock
 * minute happens twice, and Jira may read it as the later one, which would skip an hour.
 */
export function jqlMinute(instant: Date, zone: string): string {
  const anHour = 3_600_000;
  const changes = tzOffset(zone, instant) !== tzOffset(zone, new Date(instant.getTime() + anHour));
  return format(changes ? new Date(instant.getTime() - anHour) : instant, "yyyy-MM-dd HH:mm", { in: tz(zone) });
}

function quote(value: string): string {
  return `"${value.replace(/["\\]/g, (character) => `\\${character}`)}"`;
}
