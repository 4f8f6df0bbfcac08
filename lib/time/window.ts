/**
 * Report windows: inclusive calendar dates in an IANA zone, turned into the instants
 * [from 00:00, to+1 00:00) local time (kpis.md, "Report window"). DST days count as one day.
 */
import { TZDate } from "@date-fns/tz";
import { addDays, differenceInCalendarDays, format, parseISO } from "date-fns";

export interface ReportWindow {
  /** Inclusive calendar dates, YYYY-MM-DD. */
  from: string;
  to: string;
  timezone: string;
  /** Calendar days in the window. */
  days: number;
  /** The first instant in the window, ISO 8601 UTC. */
  start: string;
  /** The first instant after the window (exclusive), ISO 8601 UTC. */
  end: string;
}

/** Local midnight of a calendar date in a zone, as a UTC ISO instant. */
export function startOfLocalDay(date: string, timezone: string): string {
  const [year, month, day] = date.split("-").map(Number) as [number, number, number];
  return new Date(new TZDate(year, month - 1, day, timezone).getTime()).toISOString();
}

export function reportWindow(from: string, to: string, timezone: string): ReportWindow {
  const days = differenceInCalendarDays(parseISO(to), parseISO(from)) + 1;
  return {
    from,
    to,
    timezone,
    days,
    start: startOfLocalDay(from, timezone),
    end: startOfLocalDay(shiftDate(to, 1), timezone),
  };
}

/** The window of the same length that ends the day before `window.from`. */
export function previousWindow(window: ReportWindow): ReportWindow {
  return reportWindow(shiftDate(window.from, -window.days), shiftDate(window.from, -1), window.timezone);
}

/** The calendar date (YYYY-MM-DD) an instant falls on in `timezone`. */
export function localDate(instant: Date, timezone: string): string {
  return format(new TZDate(instant.getTime(), timezone), "yyyy-MM-dd");
}

/** The default report window: the last `days` days ending yesterday, in `timezone`. */
export function defaultWindow(timezone: string, now: Date = new Date(), days = 28): ReportWindow {
  const today = localDate(now, timezone);
  return reportWindow(shiftDate(today, -days), shiftDate(today, -1), timezone);
}

export function shiftDate(date: string, days: number): string {
  return format(addDays(parseISO(date), days), "yyyy-MM-dd");
}
