/**
 * Cron schedules, parsed by croner: five fields (minute precision) or six (with seconds first),
 * read in the server's time zone (inputs.md).
 */
import { Cron } from "croner";

export type Schedule = Cron;

export function parseSchedule(pattern: string): Schedule {
  return new Cron(pattern, { mode: "5-or-6-parts" });
}

/** Why `pattern` is not a usable schedule, or undefined when it is one. */
export function scheduleProblem(pattern: string): string | undefined {
  let schedule: Schedule;
  try {
    schedule = parseSchedule(pattern);
  } catch (error) {
    return `is not a valid cron schedule (${(error as Error).message.replace(/^CronPattern: /, "")})`;
  }
  return schedule.nextRun() ? undefined : "is a cron schedule that never runs";
}

/** The latest tick at or before `now`, if any. */
export function latestTick(schedule: Schedule, now: Date): Date | undefined {
  return schedule.previousRuns(1, now)[0];
}

export function nextTick(schedule: Schedule, after: Date): Date | undefined {
  return schedule.nextRun(after) ?? undefined;
}
