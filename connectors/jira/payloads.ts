/**
 * The parts of Jira's REST answers the connector reads, as zod schemas. jira.js does not
 * validate search or changelog answers, so these are the input boundary: anything else in a
 * payload passes through untouched (and is kept in `raw`).
 */
import { z } from "zod";

/**
 * Jira writes offsets without a colon (`2026-11-20T14:05:33.123+0100`). Kept as received, so a
 * parsed payload is the payload itself and can be stored as `raw`; `instantOf` converts.
 */
const jiraTime = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/, "must be a Jira timestamp");

/** A Jira timestamp as an ISO instant in UTC. */
export const instantOf = (jiraTimestamp: string) => new Date(jiraTimestamp).toISOString();

const named = z.looseObject({ name: z.string() });

export const historySchema = z.looseObject({
  id: z.string(),
  created: jiraTime,
  /**
   * Each item also has `fromString` / `toString` (names, or null). Not declared here: a schema
   * key named `toString` reads Object.prototype's when the item lacks it. See `namesOf`.
   */
  items: z.array(z.looseObject({ field: z.string() })),
});
export type JiraHistory = z.infer<typeof historySchema>;

/** A changelog item's from and to names; a missing or non-string one is null. */
export function namesOf(item: JiraHistory["items"][number]): { from: string | null; to: string | null } {
  const own = (key: string) => (Object.hasOwn(item, key) && typeof item[key] === "string" ? (item[key] as string) : null);
  return { from: own("fromString"), to: own("toString") };
}

export const issueSchema = z.looseObject({
  id: z.string(),
  key: z.string(),
  fields: z.looseObject({
    summary: z.string().nullish(),
    project: z.looseObject({ key: z.string() }),
    issuetype: named,
    labels: z.array(z.string()).nullish(),
    status: z.looseObject({ name: z.string(), statusCategory: z.looseObject({ key: z.string() }).nullish() }),
    resolution: named.nullish(),
    created: jiraTime,
    updated: jiraTime,
    resolutiondate: jiraTime.nullish(),
  }),
  /** Present with expand=changelog; may hold only the first page of histories. */
  changelog: z
    .looseObject({
      total: z.number().int().nonnegative().optional(),
      histories: z.array(historySchema),
    })
    .optional(),
});
export type JiraIssue = z.infer<typeof issueSchema>;

/** What the reconcile scan asks for: enough to see a type or label change, cheaply. */
export const scannedIssueSchema = z.looseObject({
  id: z.string(),
  fields: z.looseObject({ issuetype: named, labels: z.array(z.string()).nullish(), updated: jiraTime }),
});
export type ScannedIssue = z.infer<typeof scannedIssueSchema>;

/** GET /rest/api/3/search/jql (Jira Cloud): token paging. */
export const tokenPageSchema = <T extends z.ZodType>(issue: T) =>
  z.looseObject({
    issues: z.array(issue),
    nextPageToken: z.string().nullish(),
    isLast: z.boolean().optional(),
  });

/** GET /rest/api/2/search (Server / Data Center): offset paging. */
export const offsetPageSchema = <T extends z.ZodType>(issue: T) =>
  z.looseObject({
    startAt: z.number().int().nonnegative(),
    total: z.number().int().nonnegative(),
    issues: z.array(issue),
  });

/** GET /rest/api/2/issue/{id}?expand=changelog on Server / Data Center: the whole changelog. */
export const issueChangelogSchema = z.looseObject({ changelog: z.looseObject({ histories: z.array(historySchema) }) });

/** GET /rest/api/3/issue/{id}/changelog. */
export const changelogPageSchema = z.looseObject({
  startAt: z.number().int().nonnegative(),
  total: z.number().int().nonnegative().optional(),
  isLast: z.boolean().optional(),
  values: z.array(historySchema),
});

/** GET /rest/api/{2,3}/myself: the JQL dates are read in this account's zone. */
export const myselfSchema = z.looseObject({ timeZone: z.string().min(1) });

/** A board of GET /rest/agile/1.0/board (Jira Software): scrum and simple boards have sprints, kanban boards none. */
export const boardSchema = z.looseObject({ id: z.number().int(), name: z.string(), type: z.string() });
export type JiraBoard = z.infer<typeof boardSchema>;

/**
 * A sprint of GET /rest/agile/1.0/board/{id}/sprint. A future sprint has no dates yet; an
 * active one a start and a planned end; a closed one also its complete date.
 */
export const sprintSchema = z.looseObject({
  id: z.number().int(),
  name: z.string(),
  state: z.string(),
  startDate: jiraTime.optional(),
  endDate: jiraTime.optional(),
  completeDate: jiraTime.optional(),
  originBoardId: z.number().int().optional(),
});
export type JiraSprint = z.infer<typeof sprintSchema>;

/** The Agile API's offset paging: `isLast` says when to stop (Cloud gives no `total` for sprints). */
export const agilePageSchema = <T extends z.ZodType>(value: T) =>
  z.looseObject({
    startAt: z.number().int().nonnegative(),
    maxResults: z.number().int().nonnegative(),
    isLast: z.boolean(),
    values: z.array(value),
  });
