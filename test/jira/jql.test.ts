import { describe, expect, it } from "vitest";
import { issuesByIdJql, jqlMinute, projectIssuesJql } from "@/connectors/jira/jql";

describe("Jira JQL", () => {
  it("writes a bound as the account's wall-clock minute, rounded down", () => {
    expect(jqlMinute(new Date("2026-11-20T12:57:45Z"), "Europe/Berlin")).toBe("2026-11-20 13:57");
    expect(jqlMinute(new Date("2026-07-20T12:57:45Z"), "Europe/Berlin")).toBe("2026-07-20 14:57");
    expect(jqlMinute(new Date("2026-11-20T12:57:45Z"), "Asia/Kolkata")).toBe("2026-11-20 18:27");
  });

  it("steps back an hour before a DST change, so an hour that happens twice is not skipped", () => {
    // Berlin falls back at 01:00Z on 25 Oct 2026: 02:40 happens at 00:40Z (CEST) and again at 01:40Z (CET).
    expect(jqlMinute(new Date("2026-10-25T00:40:00Z"), "Europe/Berlin")).toBe("2026-10-25 01:40");
    // Once the change is past, the minute is unambiguous again.
    expect(jqlMinute(new Date("2026-10-25T01:10:00Z"), "Europe/Berlin")).toBe("2026-10-25 02:10");
  });

  it("quotes project keys and refuses ids that are not numbers", () => {
    expect(projectIssuesJql('A"B', { date: "2026-01-01" }, "UTC")).toBe('project = "A\\"B" AND updated >= "2026-01-01" ORDER BY updated ASC, key ASC');
    expect(issuesByIdJql(["10001", "10002"])).toBe("id in (10001, 10002) ORDER BY key ASC");
    expect(() => issuesByIdJql(["10001) OR (1=1"])).toThrow('not a Jira issue id: "10001) OR (1=1"');
  });
});
