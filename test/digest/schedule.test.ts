/**
 * The weekly email's schedule: the configured day and time in each project's zone across DST
 * changes, and the catch-up at a server's start — last week sent once even when two servers
 * start together, nothing sent again at a restart, and a failed email finished at the next start.
 */
import { TZDate } from "@date-fns/tz";
import { format } from "date-fns";
import { sql } from "drizzle-orm";
import { afterEach, expect, it } from "vitest";
import { openStore, type Store } from "@/db/client";
import { subscribe } from "@/lib/digest/subscriptions";
import { digestWeek } from "@/lib/digest/summary";
import { weeklyPattern, weeklySchedule, WeeklyDigests } from "@/lib/scheduler/weekly-digest";
import { describeEachDriver, drivers, freshStore } from "@/test/support/db";
import { CONFIG_YAML } from "@/test/support/config";
import { emailConfig } from "./support";
import { startSmtp, type TestSmtp } from "./smtp";

const FAST_RETRY = { attempts: 2, baseDelayMs: 10 };

it("reads the weekly day and time in the project's zone, at the same local hour across DST", () => {
  expect(weeklyPattern({ day: "monday", time: "08:00" })).toBe("0 8 * * 1");
  expect(weeklyPattern({ day: "sunday", time: "23:45" })).toBe("45 23 * * 0");
  // Europe/Berlin moves to summer time on Sunday 2026-03-29: 08:00 is 07:00 UTC before, 06:00 UTC after.
  const berlin = weeklySchedule({ day: "monday", time: "08:00" }, "Europe/Berlin");
  expect(berlin.nextRun(new Date("2026-03-20T00:00:00Z"))!.toISOString()).toBe("2026-03-23T07:00:00.000Z");
  expect(berlin.nextRun(new Date("2026-03-24T00:00:00Z"))!.toISOString()).toBe("2026-03-30T06:00:00.000Z");
  // New York leaves summer time on Sunday 2026-11-01: 08:00 is 12:00 UTC before, 13:00 UTC after.
  const newYork = weeklySchedule({ day: "monday", time: "08:00" }, "America/New_York");
  expect(newYork.nextRun(new Date("2026-10-20T00:00:00Z"))!.toISOString()).toBe("2026-10-26T12:00:00.000Z");
  expect(newYork.nextRun(new Date("2026-10-27T00:00:00Z"))!.toISOString()).toBe("2026-11-02T13:00:00.000Z");
  // Each tick sends the Monday–Sunday week before it, in the project's zone.
  expect(digestWeek("Europe/Berlin", new Date("2026-03-30T06:00:00Z"))).toBe("2026-03-23");
  expect(digestWeek("America/New_York", new Date("2026-11-02T13:00:00Z"))).toBe("2026-10-26");
  // 01:30 UTC on Monday is still Sunday evening in New York: the week before that one.
  expect(digestWeek("America/New_York", new Date("2026-11-02T01:30:00Z"))).toBe("2026-10-19");
});

let smtp: TestSmtp | undefined;
afterEach(async () => {
  await smtp?.close();
  smtp = undefined;
});

/** A schedule whose latest tick was today at 00:00 UTC, so a start always has one to catch up on. */
function todayAtMidnight(smtpUrl: string) {
  const day = format(new TZDate(Date.now(), "UTC"), "EEEE").toLowerCase();
  const config = emailConfig(smtpUrl, CONFIG_YAML);
  return { ...config, email: { ...config.email!, weekly: { day: day as "monday", time: "00:00" } } };
}

async function runOnce(store: Store, config: ReturnType<typeof todayAtMidnight>, serverId: string, log: string[] = []) {
  const digests = new WeeklyDigests({ config, store, serverId, retry: FAST_RETRY, log: (line) => log.push(line) });
  digests.start();
  await digests.idle();
  await digests.stop();
  return log;
}

describeEachDriver("the weekly email at a server's start", (store, driver) => {
  it("sends last week once, even when two servers start together, and nothing at a restart", async () => {
    smtp = await startSmtp();
    const config = todayAtMidnight(smtp.url);
    for (const email of ["ana@acme.example", "bo@acme.example"]) await subscribe(store(), config, { project: "fraud", email });
    const other = driver === "postgres" ? await openStore({ databaseUrl: store().location.replace(":***@", "@") }) : store();
    try {
      const logs = await Promise.all([runOnce(store(), config, "one"), runOnce(other, config, "two")]);
      const week = digestWeek("UTC", new Date());
      expect(logs.flat(), logs.flat().join("\n")).toContain(`weekly email: fraud, week of ${week}: sent 2, had it already 0 (catch-up)`);
      expect(smtp.received.map((message) => message.to[0]).sort()).toEqual(["ana@acme.example", "bo@acme.example"]);
      const claims = await store().rows(sql`SELECT source FROM schedule_claims ORDER BY source`);
      expect(claims).toEqual([{ source: "digest:churn" }, { source: "digest:fraud" }]);

      const restart = await runOnce(store(), config, "three");
      expect(restart).toEqual([]);
      expect(smtp.received).toHaveLength(2);
    } finally {
      if (other !== store()) await other.close();
    }
  });

  it("finishes a week's failed email at the next start, without mailing new subscribers that week", async () => {
    let refusing = true;
    smtp = await startSmtp({ refuse: (address) => (refusing && address === "bo@acme.example" ? { code: 421, message: "4.7.0 busy" } : undefined) });
    const config = todayAtMidnight(smtp.url);
    for (const email of ["ana@acme.example", "bo@acme.example"]) await subscribe(store(), config, { project: "fraud", email });
    await runOnce(store(), config, "one");
    expect(await store().rows(sql`SELECT email, status, attempts FROM digest_sends ORDER BY email`)).toEqual([
      { email: "ana@acme.example", status: "sent", attempts: 1 },
      { email: "bo@acme.example", status: "failed", attempts: 2 },
    ]);
    refusing = false;
    await subscribe(store(), config, { project: "fraud", email: "cy@acme.example" });
    const log = await runOnce(store(), config, "two");
    expect(log).toEqual([`weekly email: fraud, week of ${digestWeek("UTC", new Date())}: sent 1, had it already 0 (catch-up)`]);
    expect(smtp.received.map((message) => message.to[0])).toEqual(["ana@acme.example", "bo@acme.example"]);
  });
});

/**
 * The tick of a real minute: a wait of up to a minute, so both databases share one. The
 * next whole minute at least 5 s away, as a weekly day and time in New York.
 */
it("sends last week at the scheduled tick, in the project's zone, on either database", { timeout: 120_000 }, async () => {
  const opened = await Promise.all(drivers.map((driver) => freshStore(driver)));
  const servers = await Promise.all(drivers.map(() => startSmtp()));
  const tick = new Date(Math.ceil((Date.now() + 5_000) / 60_000) * 60_000);
  try {
    await Promise.all(opened.map(({ store }, i) => sendsAtTick(store, servers[i]!, tick)));
  } finally {
    await Promise.all([...servers.map((server) => server.close()), ...opened.map(({ drop }) => drop())]);
  }
});

async function sendsAtTick(store: Store, smtp: TestSmtp, tick: Date): Promise<void> {
  const local = new TZDate(tick.getTime(), "America/New_York");
  const base = emailConfig(smtp.url, CONFIG_YAML);
  const config = { ...base, email: { ...base.email!, weekly: { day: format(local, "EEEE").toLowerCase() as "monday", time: format(local, "HH:mm") } } };
  await subscribe(store, config, { project: "churn", email: "ana@acme.example" });
  const log: string[] = [];
  // Only churn's lines: fraud (UTC, no subscribers) has its own ticks.
  const digests = new WeeklyDigests({ config, store, serverId: "one", retry: FAST_RETRY, log: (line) => line.includes("churn") && log.push(line) });
  digests.start();
  try {
    // At start: the catch-up of the tick a week ago (the week before that one's).
    await digests.idle();
    const lastWeek = digestWeek("America/New_York", tick);
    const weekBefore = digestWeek("America/New_York", new Date(tick.getTime() - 7 * 86_400_000));
    expect(log).toEqual([`weekly email: churn, week of ${weekBefore}: sent 1, had it already 0 (catch-up)`]);
    await smtp.waitFor(2, 90_000);
    await digests.idle();
    expect(Date.now()).toBeGreaterThanOrEqual(tick.getTime());
    expect(log.slice(1)).toEqual([`weekly email: churn, week of ${lastWeek}: sent 1, had it already 0 (schedule)`]);
    expect(smtp.received.map((message) => message.mail.text!.split("\n")[0])).toEqual([`Churn: the week of ${weekBefore}`, `Churn: the week of ${lastWeek}`]);
  } finally {
    await digests.stop();
  }
}

