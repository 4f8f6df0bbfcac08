import { describe, expect, it } from "vitest";
import { outcomeOf, UserError, type ErrorKind } from "@/lib/errors/user-error";

describe("a UserError's outcome", () => {
  it("is the contract's status and exit code for each kind (interfaces.md: unknown project 404 / 2, bad date or zone 400 / 2)", () => {
    const outcome = (kind: ErrorKind) => outcomeOf(new UserError("message", kind));
    expect(outcome("not_found")).toEqual({ status: 404, exitCode: 2 });
    expect(outcome("invalid")).toEqual({ status: 400, exitCode: 2 });
    expect(outcome("conflict")).toEqual({ status: 409, exitCode: 2 });
    expect(outcome("unavailable")).toEqual({ status: 503, exitCode: 1 });
    expect(outcome("cancelled")).toEqual({ status: 499, exitCode: 130 });
  });
});
