import { describe, expect, it } from "vitest";
import { defaultWarn, statusOf } from "@/lib/targets/status";

describe("statusOf", () => {
  it("is no_data for a null value, with or without a target, and no_target without one", () => {
    expect(statusOf(null, { value: 10 }, "higher")).toBe("no_data");
    expect(statusOf(null, null, "lower")).toBe("no_data");
    expect(statusOf(0, null, "higher")).toBe("no_target");
  });

  it("higher: met at or above the target, at risk down to target − warn (10 % by default), missed below", () => {
    const target = { value: 10 };
    expect([10.5, 10, 9.5, 9, 8.99].map((value) => statusOf(value, target, "higher"))).toEqual([
      "met", "met", "at_risk", "at_risk", "missed",
    ]);
  });

  it("lower: met at or below the target, at risk up to target + warn, missed above", () => {
    const target = { value: 24 }; // warn 2.4
    expect([0, 24, 26.4, 26.41].map((value) => statusOf(value, target, "lower"))).toEqual(["met", "met", "at_risk", "missed"]);
  });

  it("uses an explicit warn, and a warn of 0 leaves no room for at_risk", () => {
    expect(statusOf(7.5, { value: 10, warn: 2.5 }, "higher")).toBe("at_risk");
    expect(statusOf(7.4, { value: 10, warn: 2.5 }, "higher")).toBe("missed");
    expect(statusOf(5, { value: 5, warn: 0 }, "higher")).toBe("met");
    expect(statusOf(4.999, { value: 5, warn: 0 }, "higher")).toBe("missed");
    expect(statusOf(11, { value: 10, warn: null }, "lower")).toBe("at_risk");
  });

  it("is exact at the margin despite floating point (0.3 − 10 % = 0.27)", () => {
    expect(defaultWarn(0.3)).toBe(0.03);
    expect(statusOf(0.27, { value: 0.3 }, "higher")).toBe("at_risk");
    expect(statusOf(0.2699, { value: 0.3 }, "higher")).toBe("missed");
    expect(statusOf(1.1, { value: 1 }, "lower")).toBe("at_risk");
  });

  it("handles a zero target (default warn 0) and negative targets (warn 10 % of the magnitude)", () => {
    expect(statusOf(0, { value: 0 }, "lower")).toBe("met");
    expect(statusOf(1, { value: 0 }, "lower")).toBe("missed");
    expect(statusOf(0, { value: 0 }, "higher")).toBe("met");
    expect(defaultWarn(-0.5)).toBe(0.05);
    expect([-0.5, -0.55, -0.56].map((value) => statusOf(value, { value: -0.5 }, "higher"))).toEqual(["met", "at_risk", "missed"]);
    expect([-11, -10, -9, -8.9].map((value) => statusOf(value, { value: -10 }, "lower"))).toEqual(["met", "met", "at_risk", "missed"]);
  });
});
