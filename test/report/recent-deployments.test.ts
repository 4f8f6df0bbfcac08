import { expect, it } from "vitest";
import { deployments } from "@/db/schema";
import { upsertRecords } from "@/db/upsert";
import { parseConfig } from "@/lib/config/load";
import { recentDeployments } from "@/lib/report/recent-deployments";
import { describeEachDriver } from "@/test/support/db";
import { deployment } from "@/test/support/records";

const config = parseConfig(
  `projects:
  - { slug: fraud, name: Fraud, services: [api], models: [xgb], github: { repos: [acme/fraud] } }
`,
  "shipshape.yaml",
  {},
);


describeEachDriver("recent deployments of a project", (store) => {
  it("lists the project's deployments by service, model or repo, newest first, up to the limit", async () => {
    await upsertRecords(store(), deployments, [
      deployment("by-service", "2026-03-01T10:00:00Z", { service: "api" }),
      deployment("by-model", "2026-03-02T10:00:00Z", { service: "serving", model: "xgb", kind: "model" }),
      deployment("by-repo", "2026-03-03T10:00:00+02:00", { service: "worker", repo: "acme/fraud" }),
      deployment("other", "2026-03-04T10:00:00Z", { service: "search" }),
    ]);
    const listed = await recentDeployments(store(), config.projects[0]!, 2);
    expect(listed.map((d) => [d.id, new Date(d.finishedAt).toISOString()])).toEqual([
      ["by-repo", "2026-03-03T08:00:00.000Z"],
      ["by-model", "2026-03-02T10:00:00.000Z"],
    ]);
  });
});
