/**
 * Medians and p90s over arbitrary ranges: a DDSketch (`@datadog/sketches-js`, relative accuracy
 * 1 %) whose buckets are stored as rows (`metric`, `dim` = bucket key, `value` = count) of the
 * read-model sums, per day and per quarter hour. A range merges by adding the counts of its rows,
 * a deletion subtracts them; the quantile is then read from a sketch rebuilt from the merged counts.
 *
 * Error bound (DDSketch's guarantee): the answer for quantile q is within 1 % (relative) of the
 * exact value at rank ⌊q × (n − 1)⌋ of the sorted values, before rounding to a whole millisecond.
 */
import sketches from '@datadog/sketches-js';

/** Relative accuracy of every stored sketch (changing it would change every stored bucket key). */
export const RELATIVE_ACCURACY = 0.01;
/** Bucket key of values that are zero (or negative: durations are never negative). */
export const ZERO_KEY = 'z';

const prototype = new sketches.DDSketch({ relativeAccuracy: RELATIVE_ACCURACY });
const mapping = prototype.mapping;

/** The bucket key of a value, as stored in `dim`. */
export function sketchKey(value: number): string {
  return value > mapping.minPossible ? String(mapping.key(value)) : ZERO_KEY;
}

/**
 * Median and p90 from merged bucket counts (`key` → count; counts ≤ 0 are ignored, they can only
 * come from a retraction racing its own addition inside one merge). Nulls when empty.
 */
export function sketchQuantiles(counts: ReadonlyMap<string, number>): { median: number | null; p90: number | null } {
  const s = new sketches.DDSketch({ relativeAccuracy: RELATIVE_ACCURACY });
  let n = 0;
  for (const [key, count] of counts) {
    if (count <= 0) continue;
    s.accept(key === ZERO_KEY ? 0 : mapping.value(Number(key)), count);
    n += count;
  }
  if (n === 0) return { median: null, p90: null };
  return { median: Math.round(s.getValueAtQuantile(0.5)), p90: Math.round(s.getValueAtQuantile(0.9)) };
}
