/**
 * The arithmetic under the read models: local days built from UTC days and quarter hours cover
 * exactly their span, and the stored sketches answer within the documented 1 %.
 */
import { describe, expect, it } from 'vitest';
import { piecesOf } from '../../src/analytics/windows';
import { DAY_MS, QUARTER_MS } from '../../src/rollups/readmodel';
import { addCounts, decodeCountsInto, encodeCounts, sketchKey, sketchQuantiles } from '../../src/rollups/sketch';
import { lowerRank } from './ground-truth';
import { rng } from './population';

describe('local days from UTC days and quarter hours', () => {
  it('the signed buckets of a span count every quarter inside it once and none outside', () => {
    const r = rng(5);
    for (let i = 0; i < 120; i++) {
      const start = Date.UTC(2025, 0, 1) + Math.floor(r() * 400 * 96) * QUARTER_MS;
      const end = start + Math.floor(r() * 3 * 96 + 1) * QUARTER_MS;
      const cover = new Map<number, number>();
      for (const p of piecesOf({ start, end })) {
        const len = p.gran === 'd' ? DAY_MS : QUARTER_MS;
        for (let t = p.bucket; t < p.bucket + len; t += QUARTER_MS) cover.set(t, (cover.get(t) ?? 0) + p.sign);
      }
      for (const [t, n] of cover) expect(n, `${new Date(t).toISOString()} in [${new Date(start).toISOString()}, ${new Date(end).toISOString()})`).toBe(t >= start && t < end ? 1 : 0);
      for (let t = start; t < end; t += QUARTER_MS) expect(cover.get(t)).toBe(1);
    }
  });
});

describe('sketches', () => {
  it('answer median and p90 within 1 % of the exact value, merged from stored buckets', () => {
    const r = rng(9);
    for (const spread of [10, 1000, 60_000, 3_600_000]) {
      const values = Array.from({ length: 5000 }, () => Math.floor(r() * r() * spread));
      // stored in 7 buckets, merged back as a range read does
      const stored = Array.from({ length: 7 }, () => new Map<number, number>());
      values.forEach((v, i) => addCounts(stored[i % 7]!, new Map([[sketchKey(v), 1]])));
      const merged = stored.reduce((acc, c) => decodeCountsInto(acc, encodeCounts(c)), new Map<number, number>());
      const q = sketchQuantiles(merged);
      for (const [p, got] of [[0.5, q.median], [0.9, q.p90]] as const) {
        const exact = lowerRank(values, p)!;
        expect(Math.abs(got! - exact), `spread ${spread} q${p}: ${got} vs ${exact}`).toBeLessThanOrEqual(0.01 * exact + 0.5);
      }
    }
  });

  it('subtracting what was added leaves nothing', () => {
    const a = new Map([[sketchKey(100), 2], [sketchKey(0), 1]]);
    expect(addCounts(new Map(a), a, -1).size).toBe(0);
    expect(sketchQuantiles(new Map())).toEqual({ median: null, p90: null });
    expect(sketchQuantiles(new Map([[sketchKey(0), 3]]))).toEqual({ median: 0, p90: 0 });
  });
});
