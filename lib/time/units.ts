/** Lengths of time in the units Shipshape counts in: durations are hours (kpis.md), instants milliseconds. */
export const MINUTES_PER_HOUR = 60;
export const HOURS_PER_DAY = 24;
export const DAYS_PER_WEEK = 7;

export const MS_PER_MINUTE = 60_000;
export const MS_PER_HOUR = MINUTES_PER_HOUR * MS_PER_MINUTE;
/** A UTC day; a local day across a DST change is 23 or 25 hours (lib/time/window.ts counts calendar days). */
export const MS_PER_DAY = HOURS_PER_DAY * MS_PER_HOUR;
