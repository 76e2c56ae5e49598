/** The arithmetic every analytics answer shares, in one place so the numbers agree everywhere. */

/**
 * `completions / starts * 100` rounded to one decimal; 0 when there are no starts.
 * Integer arithmetic first (`c * 1000 / s`) so that e.g. 875/1250 gives exactly 70.
 */
export function completionRate(completions: number, starts: number): number {
  if (!starts) return 0;
  return Math.round((completions * 1000) / starts) / 10;
}

/** A percentage `part / whole * 100` rounded to one decimal; 0 when `whole` is 0. */
export const percent = completionRate;

/** Rounds to one decimal (for differences of already rounded percentages). */
export const round1 = (x: number): number => Math.round(x * 10) / 10;

/**
 * Trend of a rate against the previous period of equal length, in percentage points;
 * null when the previous period had no starts (no baseline to compare with).
 */
export function trend(current: number, previous: number, previousStarts: number): number | null {
  return previousStarts ? round1(current - previous) : null;
}

/** Median and 90th percentile (nearest-rank) of a list of numbers; nulls when empty. */
export function quantiles(values: number[]): { median: number | null; p90: number | null } {
  if (!values.length) return { median: null, p90: null };
  const v = Float64Array.from(values).sort();
  const rank = (p: number) => v[Math.max(0, Math.ceil(p * v.length) - 1)]!;
  return { median: rank(0.5), p90: rank(0.9) };
}

/** A rate `part / whole * 100` (one decimal), or null when there is no whole (never a 0 % for "no data"). */
export const rateOrNull = (part: number, whole: number): number | null => (whole ? percent(part, whole) : null);

/** Change of a count against the previous period, in percent (one decimal); null without a previous count. */
export const changePct = (current: number, previous: number): number | null =>
  previous ? round1(((current - previous) * 100) / previous) : null;

/** Change of a rate in percentage points; null when either side has no rate. */
export const changePts = (current: number | null, previous: number | null): number | null =>
  current === null || previous === null ? null : round1(current - previous);
