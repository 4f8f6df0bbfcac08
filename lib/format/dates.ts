/**
 * Dates, instants and zones as people read them: "22 Nov 2026", "22 Nov 2026, 14:03",
 * "UTC+01:00". Which day or instant to show is lib/time's to compute; how it reads is decided
 * here, once for the pages, the CLI and the email (en-GB: day before month, 24-hour clock).
 */
import { zoneOffsetMinutes } from "@/lib/time/zone";
import { MINUTES_PER_HOUR } from "@/lib/time/units";

/** One formatter per zone and style: an events table formats hundreds of instants. */
const instantFormats = new Map<string, Intl.DateTimeFormat>();

/** An instant as a local date and time in `timezone`: "22 Nov 2026, 14:03" (with `seconds`: "14:03:27"). */
export function formatInstant(iso: string, timezone: string, { seconds = false } = {}): string {
  const key = `${timezone}|${seconds}`;
  let formatter = instantFormats.get(key);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: seconds ? "medium" : "short", timeZone: timezone });
    instantFormats.set(key, formatter);
  }
  return formatter.format(new Date(iso));
}

/** An instant in UTC to the minute, as a log reads: "2026-11-22 14:03". */
export function formatUtcMinute(iso: string): string {
  return new Date(iso).toISOString().slice(0, 16).replace("T", " ");
}

/** A calendar date YYYY-MM-DD as "22 Nov 2026" (no zone: it is already a local date). */
export function formatDay(date: string): string {
  return dayFormat({ dateStyle: "medium" }, date);
}

/** A calendar date YYYY-MM-DD as a short chart label: "16 Nov". */
export function formatShortDay(date: string): string {
  return dayFormat({ day: "numeric", month: "short" }, date);
}

/** A calendar date YYYY-MM-DD with its weekday, as a sprint's days read: "Tue 17 Nov" (`withYear`: "Tue 17 Nov 2026"). */
export function formatWeekday(date: string, { withYear = false } = {}): string {
  return dayFormat({ weekday: "short", day: "numeric", month: "short", ...(withYear ? { year: "numeric" } : {}) }, date).replace(",", "");
}

/** A window's dates for people: "26 Oct – 22 Nov 2026". */
export function formatRange(from: string, to: string): string {
  return from === to ? formatDay(from) : `${from.slice(0, 4) === to.slice(0, 4) ? formatShortDay(from) : formatDay(from)} – ${formatDay(to)}`;
}

/** "UTC+01:00"-style offset of a zone at an instant, shown beside the zone's name. */
export function formatZoneOffset(timezone: string, at: Date = new Date()): string {
  const minutes = zoneOffsetMinutes(timezone, at);
  const sign = minutes < 0 ? "−" : "+";
  const abs = Math.abs(minutes);
  return `UTC${sign}${String(Math.floor(abs / MINUTES_PER_HOUR)).padStart(2, "0")}:${String(abs % MINUTES_PER_HOUR).padStart(2, "0")}`;
}

/** A local date is the same day everywhere: format it at UTC midnight in UTC. */
function dayFormat(options: Intl.DateTimeFormatOptions, date: string): string {
  const [year, month, day] = date.split("-").map(Number) as [number, number, number];
  return new Intl.DateTimeFormat("en-GB", { ...options, timeZone: "UTC" }).format(Date.UTC(year, month - 1, day));
}
