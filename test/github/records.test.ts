import { describe, expect, it } from "vitest";
import { deploymentPayload, deploymentStatusPayload } from "@/connectors/github/payloads";
import { deploymentRecord, revertedNumber } from "@/connectors/github/records";
import { deploymentShape, deploymentStatusShape } from "./shapes";

describe("revertedNumber", () => {
  const pull = (ref: string, body: string | null) => ({ head: { ref, sha: "0".repeat(40) }, body });
  it("reads GitHub's revert branch, then the body it writes, and nothing else", () => {
    expect(revertedNumber("acme/api", pull("revert-42-feature-x", null))).toBe(42);
    expect(revertedNumber("acme/api", pull("undo", "Reverts acme/api#17\n\nBroke checkout"))).toBe(17);
    expect(revertedNumber("acme/api", pull("undo", "Reverts acme/other#17"))).toBeNull();
    expect(revertedNumber("acme/api", pull("revert-button-colors", "Reverts the colours"))).toBeNull();
  });
});

describe("deploymentRecord", () => {
  const deployment = deploymentPayload.parse(deploymentShape("acme/api", { id: 9, sha: "a".repeat(40), ref: "main", environment: "production", createdAt: "2026-03-01T10:00:00Z" }));
  const statuses = (...list: [string, string][]) =>
    list.map(([state, at], i) => deploymentStatusPayload.parse(deploymentStatusShape("acme/api", 9, { id: i + 1, state, createdAt: at, environment: "production" })));
  const outcome = (...list: [string, string][]) => {
    const record = deploymentRecord("acme/api", deployment, statuses(...list));
    return record && [record.status, record.finishedAt];
  };

  it("is a success from its first success on, whatever follows", () => {
    expect(outcome(["failure", "2026-03-01T10:05:00Z"], ["success", "2026-03-01T10:20:00Z"], ["success", "2026-03-01T11:00:00Z"], ["inactive", "2026-03-02T10:00:00Z"])).toEqual([
      "success",
      "2026-03-01T10:20:00Z",
    ]);
  });

  it("is a failure when its latest status is failure or error, at that status", () => {
    expect(outcome(["in_progress", "2026-03-01T10:01:00Z"], ["error", "2026-03-01T10:03:00Z"])).toEqual(["failure", "2026-03-01T10:03:00Z"]);
  });

  it("has no record while queued, pending or in progress, or without statuses", () => {
    expect(outcome(["queued", "2026-03-01T10:01:00Z"], ["in_progress", "2026-03-01T10:02:00Z"])).toBeNull();
    expect(outcome(["failure", "2026-03-01T10:01:00Z"], ["pending", "2026-03-01T10:02:00Z"])).toBeNull();
    expect(outcome()).toBeNull();
  });
});
