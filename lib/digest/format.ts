/** Changes as the weekly email words them (values themselves format through lib/format/values.ts, like the pages). */
/**
 * The relative change from `previous` to `value`, in percent; null when either is missing or
 * the week before was zero (a change from nothing has no percentage).
 */
export function relativeChange(value: number | null, previous: number | null): number | null {
  if (value === null || previous === null || previous === 0) return null;
  return ((value - previous) / Math.abs(previous)) * 100;
}

/** "up 40%", "down 12%", "unchanged"; whole percent, so the subject line stays short. */
export function changeWords(percent: number): string {
  const rounded = Math.round(Math.abs(percent));
  if (rounded === 0) return "unchanged";
  return `${percent > 0 ? "up" : "down"} ${rounded}%`;
}
