/**
 * DORA's Quick Check scores (dora.dev/quickcheck): each of the five DORA KPIs on DORA's 0–10
 * scale, their mean, and the published 2025 industry benchmark to read them against.
 *
 * The Quick Check asks for lead time, deployment frequency and failed deployment recovery time as
 * one of six answers (1 worst … 6 best) and maps the answer linearly to 0–10; it asks for change
 * fail rate and deployment rework rate as a percentage p and maps it to (100 − p) / 10. Shipshape
 * measures the values, so it first places each measured value in the answer whose range holds it
 * (`quickCheckAnswer`), then scores that answer the Quick Check's way. docs/metrics.md has the
 * answer ranges and why each boundary falls where it does.
 */
import type { KpiId } from "@/lib/kpis/ids";

export const scoredKpis = ["deployment_frequency", "lead_time_for_changes", "change_failure_rate", "time_to_restore", "rework_rate"] as const satisfies readonly KpiId[];
export type ScoredKpi = (typeof scoredKpis)[number];

/** The report's `scores`: one per scored KPI that has a value, and their mean (null when none has). */
export type QuickCheckScores = Partial<Record<ScoredKpi, number>> & { overall: number | null };

/** The Quick Check's answers run from 1 (worst) to 6 (best). */
export type Answer = 1 | 2 | 3 | 4 | 5 | 6;
const WORST: Answer = 1;
const BEST: Answer = 6;
const MAX_SCORE = 10;

/** An answer on the 0–10 scale: 1 → 0, 6 → 10, linearly (the Quick Check's recode of the answer range). */
export function answerScore(answer: number): number {
  return ((clamp(answer, WORST, BEST) - WORST) / (BEST - WORST)) * MAX_SCORE;
}

/** A percentage on the 0–10 scale: 0 % → 10, 100 % → 0, i.e. (100 − p) / 10. */
export function percentScore(percent: number): number {
  return ((100 - clamp(percent, 0, 100)) / 100) * MAX_SCORE;
}

const HOUR = 1;
const DAY = 24 * HOUR;
const WEEK = 7 * DAY;
const MONTH = 30 * DAY;
const SIX_MONTHS = 6 * MONTH;

/**
 * The answer a duration (lead time, recovery time, in hours) falls in: less than one hour (6),
 * less than one day (5), one day to one week (4), one week to one month (3), one to six months
 * (2), more than six months (1). Each range includes its lower bound: exactly one day is "one
 * day to one week".
 */
export function durationAnswer(hours: number): Answer {
  const limits = [HOUR, DAY, WEEK, MONTH, SIX_MONTHS];
  const index = limits.findIndex((limit) => hours < limit);
  return (index === -1 ? WORST : BEST - index) as Answer;
}

/**
 * The answer a deployment frequency (per day) falls in: on demand, more often than once an hour
 * (6); between once an hour and once a day, both included (5); once a week to once a day (4);
 * once a month to once a week (3); once in six months to once a month (2); less than once in six
 * months (1). Ranges below answer 5 include their less frequent bound.
 */
export function frequencyAnswer(perDay: number): Answer {
  if (perDay > DAY / HOUR) return 6;
  const limits = [DAY / DAY, DAY / WEEK, DAY / MONTH, DAY / SIX_MONTHS];
  const index = limits.findIndex((limit) => perDay >= limit);
  return (index === -1 ? WORST : 5 - index) as Answer;
}

/** The Quick Check score of one DORA KPI's value. */
export function quickCheckScore(kpi: ScoredKpi, value: number): number {
  switch (kpi) {
    case "deployment_frequency":
      return answerScore(frequencyAnswer(value));
    case "lead_time_for_changes":
    case "time_to_restore":
      return answerScore(durationAnswer(value));
    case "change_failure_rate":
    case "rework_rate":
      return percentScore(value);
  }
}

/** The scores of a project's DORA values (null: no value, not scored) and their mean. */
export function quickCheckScores(values: Partial<Record<ScoredKpi, number | null>>): QuickCheckScores {
  const scores: Partial<Record<ScoredKpi, number>> = {};
  for (const kpi of scoredKpis) {
    const value = values[kpi];
    if (value !== null && value !== undefined) scores[kpi] = quickCheckScore(kpi, value);
  }
  const each = Object.values(scores);
  return { ...scores, overall: each.length ? each.reduce((sum, score) => sum + score, 0) / each.length : null };
}

/**
 * The Quick Check's 2025 benchmark, all industries (its 2025 edition's industry_metrics.json,
 * "all"): each metric's mean score, with change fail rate and rework rate turned to "higher is
 * better" (10 − the published instability mean) and the overall mean recomputed over the five,
 * as the Quick Check shows them: (5.5 + 4.8 + 7.4 + 8.1 + 7.8) / 5 = 6.72.
 */
export const benchmark2025: Record<ScoredKpi | "overall", number> = {
  lead_time_for_changes: 5.5,
  deployment_frequency: 4.8,
  time_to_restore: 7.4,
  change_failure_rate: 10 - 1.9,
  rework_rate: 10 - 2.2,
  overall: (5.5 + 4.8 + 7.4 + (10 - 1.9) + (10 - 2.2)) / 5,
};

function clamp(value: number, min: number, max: number): number {
  return Math.max(min, Math.min(max, value));
}
