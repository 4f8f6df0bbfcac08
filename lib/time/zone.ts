import { TZDate } from "@date-fns/tz";

/** True when `zone` is an IANA time zone name this runtime knows. */
export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** How many minutes `timezone` is ahead of UTC at an instant (negative west of Greenwich; DST included). */
export function zoneOffsetMinutes(timezone: string, at: Date): number {
  return -new TZDate(at.getTime(), timezone).getTimezoneOffset();
}
