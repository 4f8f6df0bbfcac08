/** Calendar weeks, Monday to Sunday in a zone: the weekly trends and the weekly email count in them. */
import { TZDate } from "@date-fns/tz";
import { format, startOfWeek } from "date-fns";
import { DAYS_PER_WEEK } from "./units";
import { reportWindow, shiftDate, type ReportWindow } from "./window";

/** The Monday of the week that contains `date` (YYYY-MM-DD). */
export function mondayOf(date: string, timezone: string): string {
  const [year, month, day] = date.split("-").map(Number) as [number, number, number];
  return format(startOfWeek(new TZDate(year, month - 1, day, timezone), { weekStartsOn: 1 }), "yyyy-MM-dd");
}

/** The `count` complete Monday–Sunday weeks before the week that contains `until`, oldest first. */
export function completeWeeks(timezone: string, count: number, until: string): ReportWindow[] {
  const monday = mondayOf(until, timezone);
  return Array.from({ length: count }, (_, index) => {
    const from = shiftDate(monday, -DAYS_PER_WEEK * (count - index));
    return reportWindow(from, shiftDate(from, DAYS_PER_WEEK - 1), timezone);
  });
}
