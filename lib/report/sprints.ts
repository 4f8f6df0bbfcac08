/**
 * Retro by sprint: the Jira sprints of a project's boards (stored by the Jira source's sprint
 * stream) as the retro page offers them, and the window a chosen sprint gives — from its start
 * date to its complete date, or its planned end while it is not completed, as calendar dates in
 * the project's zone. Sprints not started yet have no window and are not offered.
 */
import { and, desc, eq, inArray, isNotNull } from "drizzle-orm";
import type { Store } from "@/db/client";
import { sprints } from "@/db/schema";
import type { ProjectConfig } from "@/lib/config/load";
import { localDate } from "@/lib/time/window";

export interface SprintChoice {
  /** Jira's sprint id. */
  id: number;
  name: string;
  /** active or closed. */
  state: string;
  board: string;
  /** The retro's window: calendar dates in the project's zone, both included. */
  from: string;
  to: string;
  /** Whether `to` is the complete date (else the planned end). */
  completed: boolean;
}

/** The project's started sprints, newest start first; a sprint on two boards of the project is listed once. */
export async function projectSprints(store: Store, project: Pick<ProjectConfig, "jira" | "timezone">): Promise<SprintChoice[]> {
  const keys = project.jira?.projects ?? [];
  if (keys.length === 0) return [];
  const rows = await store.db
    .select()
    .from(sprints)
    .where(and(eq(sprints.source, "jira"), inArray(sprints.container, keys), isNotNull(sprints.startedAt)))
    .orderBy(desc(sprints.startedAt), desc(sprints.sprintId), sprints.boardId);
  const seen = new Set<number>();
  const choices: SprintChoice[] = [];
  for (const row of rows) {
    const end = row.completedAt ?? row.endsAt;
    if (seen.has(row.sprintId) || end === null || row.startedAt === null) continue;
    seen.add(row.sprintId);
    const from = localDate(new Date(row.startedAt), project.timezone);
    // A sprint completed before its start date reads as one day, not as a window the wrong way round.
    const to = localDate(new Date(end), project.timezone);
    choices.push({ id: row.sprintId, name: row.name, state: row.state, board: row.boardName, from, to: to < from ? from : to, completed: row.completedAt !== null });
  }
  return choices;
}

/** The sprint `?sprint=` names among the project's, or a one-line message saying why there is none. */
export function chooseSprint(choices: readonly SprintChoice[], query: string | undefined): { sprint: SprintChoice | null; error: string | null } {
  if (query === undefined) return { sprint: null, error: null };
  const sprint = /^\d+$/.test(query) ? choices.find((choice) => choice.id === Number(query)) : undefined;
  if (sprint) return { sprint, error: null };
  const what = /^\d+$/.test(query) ? `sprint ${query} is not a started sprint of this project's Jira boards` : `"${query}" is not a sprint id`;
  return { sprint: null, error: `${what}; choose one from the list` };
}
