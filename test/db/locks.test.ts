import { describe, expect, it } from "vitest";
import { DIGEST_LOCKS, digestLock, MIGRATION_LOCK, SOURCE_LOCKS } from "@/db/locks";
import { demoConfig } from "@/lib/demo/config";

const inDigestRange = (id: number) => id >= DIGEST_LOCKS.base && id < DIGEST_LOCKS.base + DIGEST_LOCKS.size;

describe("the advisory-lock registry", () => {
  const fixed = [MIGRATION_LOCK, ...Object.values(SOURCE_LOCKS)];

  it("gives every fixed lock its own id, none inside the weekly email's range", () => {
    expect(new Set(fixed).size).toBe(fixed.length);
    expect(fixed.filter(inDigestRange)).toEqual([]);
  });

  it("keeps every project's weekly-email lock inside its range, the same on every call, apart for different slugs", () => {
    const slugs = [...demoConfig.projects.map((p) => p.slug), "", "a", "b", "ö-ünïcode", "x".repeat(500)];
    const ids = slugs.map(digestLock);
    expect(ids.every(inDigestRange)).toBe(true);
    expect(slugs.map(digestLock)).toEqual(ids);
    expect(new Set(ids).size).toBe(slugs.length);
    // PostgreSQL's advisory-lock key is a bigint; the registry keeps to 32 bits so every driver passes it as a plain number.
    expect(Math.max(...fixed, ...ids)).toBeLessThan(2 ** 31);
  });
});
