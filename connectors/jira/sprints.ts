/**
 * The Jira connector's board and sprint streams for one project key (docs/jira.md, "Sprints"),
 * read through the Agile API after the issues: the boards whose filter includes the project,
 * then each board's sprints. Sprints change state and dates without anything to page from, and
 * a project has a few dozen, so every run reads them whole; a sprint or board Jira no longer
 * lists is removed.
 */
import { and, eq } from "drizzle-orm";
import { z } from "zod";
import { remove, replace, upsert, type Stream } from "@/connectors/stream";
import { sprints } from "@/db/schema";
import { JiraRequestError } from "./client";
import type { JiraBoard, JiraSprint } from "./payloads";
import { JIRA_SOURCE, toSprint } from "./records";
import type { JiraSession } from "./streams";

const boardsCursor = z.object({ boards: z.array(z.object({ id: z.number().int(), name: z.string(), type: z.string() })) });

/**
 * The project's boards; its state is the list, which the sprints stream reads. A Jira without
 * Jira Software (no Agile API: 404) has no boards, and says so in the log, not as an error.
 */
export const boardsStream: Stream<string, JiraSession, z.infer<typeof boardsCursor>> = {
  name: "boards",
  cursor: boardsCursor,
  async read({ partition: key, session, log }) {
    const boards: JiraBoard[] = [];
    try {
      for await (const page of session.reader.boards(key)) boards.push(...page);
    } catch (error) {
      if (!(error instanceof JiraRequestError && error.failure === "not_found")) throw error;
      log(`jira ${key}: no boards (${error.message}): the retro offers no sprints`);
    }
    return { cursor: { boards: boards.map(({ id, name, type }) => ({ id, name, type })) }, etag: null };
  },
};

/** Kanban boards have no sprints: Jira answers 400 "The board does not support sprints". */
const hasSprints = (board: { type: string }) => board.type !== "kanban";

export const sprintsStream: Stream<string, JiraSession, never> = {
  name: "sprints",
  async read(run) {
    const { partition: key, session, emit, log } = run;
    const { boards } = run.upstream(boardsStream);
    for (const board of boards.filter(hasSprints)) {
      const seen: ReturnType<typeof toSprint>[] = [];
      try {
        for await (const page of session.reader.sprints(board.id)) {
          const rows = page.map((sprint: JiraSprint) => toSprint(key, board, sprint));
          seen.push(...rows);
          await emit([upsert(sprints, rows, { key: `${key}:sprints`, changedOnly: true })]);
        }
      } catch (error) {
        // A board deleted since the list, or one that turned out to have no sprints: the others still count.
        if (!(error instanceof JiraRequestError && (error.failure === "not_found" || error.failure === "query"))) throw error;
        log(`jira ${key}: board ${board.id} (${board.name}) gives no sprints: ${error.message}`);
      }
      // Sprints the board no longer lists (deleted in Jira) go.
      await emit([replace(sprints, { source: JIRA_SOURCE, container: key, boardId: board.id }, ["source", "externalId"], seen)]);
    }
    const listed = new Set(boards.filter(hasSprints).map((board) => board.id));
    const stored = await run.stored.db
      .selectDistinct({ boardId: sprints.boardId })
      .from(sprints)
      .where(and(eq(sprints.source, JIRA_SOURCE), eq(sprints.container, key)));
    const gone = stored.map((row) => row.boardId).filter((id) => !listed.has(id));
    if (gone.length) await emit([remove(sprints, { source: JIRA_SOURCE, container: key, boardId: { in: gone } })]);
  },
};
