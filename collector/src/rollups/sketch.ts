/**
 * Medians and p90s over arbitrary ranges: DDSketches (`@datadog/sketches-js`, relative accuracy
 * 1 %) stored as bucket counts per content × metric × dimension and per UTC day / quarter hour
 * (table `rm_sketches`, one row per bucket holding every sketch key's count, see
 * {@link encodeCounts}). A range merges by adding the counts of its rows, a deletion subtracts
 * them; the quantile is read from a sketch rebuilt from the merged counts.
 *
 * Error bound (DDSketch's guarantee): the answer for quantile q is within 1 % (relative) of the
 * exact value at rank ⌊q × (n − 1)⌋ of the sorted values, before rounding to a whole millisecond.
 */
import sketches from '@datadog/sketches-js';

/** Relative accuracy of every stored sketch (changing it would change every stored bucket key). */
export const RELATIVE_ACCURACY = 0.01;
/** Bucket key of values that are zero (durations are never negative). */
export const ZERO_KEY = -2147483648;

const mapping = new sketches.DDSketch({ relativeAccuracy: RELATIVE_ACCURACY }).mapping;

/** Counts per sketch key. */
export type SketchCounts = Map<number, number>;

/** The sketch key of a value. */
export function sketchKey(value: number): number {
  return value > mapping.minPossible ? mapping.key(value) : ZERO_KEY;
}

/** Adds `b` (times `sign`) into `a`, dropping keys whose count becomes 0. */
export function addCounts(a: SketchCounts, b: ReadonlyMap<number, number>, sign = 1): SketchCounts {
  for (const [k, n] of b) {
    const v = (a.get(k) ?? 0) + sign * n;
    if (v === 0) a.delete(k);
    else a.set(k, v);
  }
  return a;
}

/** Stored form of counts: little-endian int32 pairs (key, count), sorted by key. */
export function encodeCounts(c: ReadonlyMap<number, number>): Buffer {
  const keys = [...c.keys()].sort((x, y) => x - y);
  const buf = Buffer.allocUnsafe(keys.length * 8);
  keys.forEach((k, i) => {
    buf.writeInt32LE(k, i * 8);
    buf.writeInt32LE(c.get(k)!, i * 8 + 4);
  });
  return buf;
}

/** Adds stored counts (times `sign`) into `into`. */
export function decodeCountsInto(into: SketchCounts, buf: Uint8Array, sign = 1): SketchCounts {
  const v = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  for (let i = 0; i + 8 <= buf.byteLength; i += 8) {
    const k = v.getInt32(i, true);
    const n = (into.get(k) ?? 0) + sign * v.getInt32(i + 4, true);
    if (n === 0) into.delete(k);
    else into.set(k, n);
  }
  return into;
}

/**
 * Merges many stored rows fast: keys of durations in whole ms lie in [0, 4096) (1 ms … 10^17 ms),
 * so counts add up in a dense array; any other key (and the zero bucket) goes to a map.
 */
export class CountsAccumulator {
  private readonly dense = new Float64Array(4096);
  private readonly sparse = new Map<number, number>();

  add(buf: Uint8Array, sign = 1): void {
    const v = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    for (let i = 0; i + 8 <= buf.byteLength; i += 8) {
      const k = v.getInt32(i, true);
      const n = sign * v.getInt32(i + 4, true);
      if (k >= 0 && k < 4096) this.dense[k]! += n;
      else this.sparse.set(k, (this.sparse.get(k) ?? 0) + n);
    }
  }

  /** The merged counts, zeros left out. */
  counts(): SketchCounts {
    const out: SketchCounts = new Map();
    for (const [k, n] of this.sparse) if (n !== 0) out.set(k, n);
    for (let k = 0; k < 4096; k++) if (this.dense[k] !== 0) out.set(k, this.dense[k]!);
    return out;
  }
}

/** Median and p90 from merged counts (counts ≤ 0 are ignored). Nulls when empty. */
export function sketchQuantiles(counts: ReadonlyMap<number, number> | undefined): { median: number | null; p90: number | null } {
  const s = new sketches.DDSketch({ relativeAccuracy: RELATIVE_ACCURACY });
  let n = 0;
  for (const [key, count] of counts ?? []) {
    if (count <= 0) continue;
    s.accept(key === ZERO_KEY ? 0 : mapping.value(key), count);
    n += count;
  }
  if (n === 0) return { median: null, p90: null };
  return { median: Math.round(s.getValueAtQuantile(0.5)), p90: Math.round(s.getValueAtQuantile(0.9)) };
}
