/**
 * DORA performance bands (`band` in the report) for the four DORA KPIs, by band set: the
 * clusters of the Accelerate State of DevOps reports of 2021, 2023 (the default) and 2024
 * (`dora_bands` in shipshape.yaml; docs/metrics.md cites each table).
 *
 * A report's table gives each band a range or a typical value per metric; Shipshape reads each
 * band's bound on the better side as its limit and gives a value the best band whose limit it
 * meets, else `low`. So a value in a gap between two bands' ranges (2021: lead time between one
 * hour and one day) falls to the band below, and where a worse band's limit is better than a
 * better band's (2024: change failure rate medium 10 %, high 20 %) the worse band cannot be
 * reached by that metric alone.
 */
import type { Band, Direction } from "@/lib/kpis/kpi";

export const doraBandSets = ["2023", "2021", "2024"] as const;
export type DoraBandSet = (typeof doraBandSets)[number];
export const DEFAULT_DORA_BANDS: DoraBandSet = "2023";

export type BandedKpi = "deployment_frequency" | "lead_time_for_changes" | "change_failure_rate" | "time_to_restore";

/** The limit of one band: a value meets it when at least (higher) / below, or at when inclusive (lower). */
interface Scale {
  direction: Direction;
  /** The limits of elite, high and medium, in the KPI's unit. */
  limits: readonly [number, number, number];
  /** Whether a value equal to a limit meets it (lower-is-better scales; higher ones always include it). */
  inclusive: boolean;
}

const HOUR = 1;
const DAY = 24 * HOUR;
const WEEK = 7 * DAY;
/** A month is 30 days and six months 180 days, as kpis.md's bands count them. */
const MONTH = 30 * DAY;
const SIX_MONTHS = 6 * MONTH;
/** Deployment frequency is per day: once a week is 1/7 per day. */
const perDay = (hours: number) => DAY / hours;

const frequency = (elite: number, high: number, medium: number): Scale => ({ direction: "higher", limits: [elite, high, medium], inclusive: true });
const below = (elite: number, high: number, medium: number): Scale => ({ direction: "lower", limits: [elite, high, medium], inclusive: false });
const atMost = (elite: number, high: number, medium: number): Scale => ({ direction: "lower", limits: [elite, high, medium], inclusive: true });

export const bandSets: Record<DoraBandSet, Record<BandedKpi, Scale>> = {
  // kpis.md's table (State of DevOps 2023).
  "2023": {
    deployment_frequency: frequency(perDay(DAY), perDay(WEEK), perDay(MONTH)),
    lead_time_for_changes: below(DAY, WEEK, MONTH),
    change_failure_rate: atMost(5, 10, 15),
    time_to_restore: below(HOUR, DAY, WEEK),
  },
  // Accelerate State of DevOps 2021: elite on demand / < 1 h / < 1 h / 0–15 %; high once a week to
  // once a month / one day to one week / < 1 day / 16–30 %; medium once a month to once in six months /
  // one to six months / one day to one week / 16–30 %; low fewer than once in six months / more than
  // six months / more than six months / 16–30 %.
  "2021": {
    deployment_frequency: frequency(perDay(DAY), perDay(MONTH), perDay(SIX_MONTHS)),
    lead_time_for_changes: below(HOUR, WEEK, SIX_MONTHS),
    change_failure_rate: atMost(15, 30, 30),
    time_to_restore: below(HOUR, DAY, WEEK),
  },
  // Accelerate State of DevOps 2024: elite on demand / < 1 day / 5 % / < 1 h; high once a day to once a
  // week / one day to one week / 20 % / < 1 day; medium once a week to once a month / one week to one
  // month / 10 % / < 1 day; low once a month to once in six months / one to six months / 40 % / one week
  // to one month.
  "2024": {
    deployment_frequency: frequency(perDay(DAY), perDay(WEEK), perDay(MONTH)),
    lead_time_for_changes: below(DAY, WEEK, MONTH),
    change_failure_rate: atMost(5, 20, 10),
    time_to_restore: below(HOUR, DAY, DAY),
  },
};

/** The four KPIs with DORA bands, in catalog order. */
export const bandedKpis = Object.keys(bandSets[DEFAULT_DORA_BANDS]) as BandedKpi[];

const BANDS_BEST_FIRST = ["elite", "high", "medium"] as const;

/** The band of a DORA KPI's value in a band set; null for a KPI without bands. */
export function doraBand(kpi: string, value: number, set: DoraBandSet = DEFAULT_DORA_BANDS): Band | null {
  const scale = (bandSets[set] as Record<string, Scale | undefined>)[kpi];
  if (!scale) return null;
  const index = scale.limits.findIndex((limit) => meets(value, limit, scale));
  return index === -1 ? "low" : BANDS_BEST_FIRST[index]!;
}

function meets(value: number, limit: number, { direction, inclusive }: Scale): boolean {
  if (direction === "higher") return value >= limit;
  return inclusive ? value <= limit : value < limit;
}
