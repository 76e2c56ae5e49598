/** The pure pieces: date ranges and zones, rates, funnel, quantiles, CSV cells. */
import { describe, expect, it } from 'vitest';
import { csvCell, csvLine } from '../../src/analytics/csv';
import { buildFunnel } from '../../src/analytics/funnel';
import { hourLabels, previousRange, resolveDay, resolveRange } from '../../src/analytics/range';
import { completionRate, quantiles, trend } from '../../src/analytics/rates';

describe('ranges', () => {
  it('UTC days by default, every day of the range', () => {
    const r = resolveRange({ date_from: '2025-02-27', date_to: '2025-03-02' });
    expect(r.days.map((d) => d.date)).toEqual(['2025-02-27', '2025-02-28', '2025-03-01', '2025-03-02']);
    expect(r.start).toBe(Date.UTC(2025, 1, 27));
    expect(r.end).toBe(Date.UTC(2025, 2, 3));
    expect(previousRange(r).days.map((d) => d.date)).toEqual(['2025-02-23', '2025-02-24', '2025-02-25', '2025-02-26']);
  });

  it('local midnights of an IANA zone, DST days of 23 and 25 hours', () => {
    const spring = resolveDay({ date: '2025-03-30', tz: 'Europe/Paris' });
    expect(spring.days[0]!.end - spring.days[0]!.start).toBe(23 * 3_600_000);
    expect(spring.start).toBe(Date.UTC(2025, 2, 29, 23));
    const labels = [...hourLabels(spring).values()];
    expect(labels).toHaveLength(23);
    expect(labels).not.toContain('02');
    const autumn = resolveDay({ date: '2025-10-26', tz: 'Europe/Paris' });
    const fall = [...hourLabels(autumn).values()];
    expect(fall).toHaveLength(25);
    expect(fall.filter((h) => h === '02')).toHaveLength(2);
    expect(resolveDay({ date: '2025-05-10', tz: 'Asia/Kolkata' }).shiftMs).toBe(30 * 60_000);
  });

  it('defaults to the 30 days ending today and rejects bad input with a 400', () => {
    const r = resolveRange({}, Date.UTC(2025, 4, 10, 12));
    expect([r.from, r.to, r.days.length]).toEqual(['2025-04-11', '2025-05-10', 30]);
    for (const q of [{ date_from: '2025-5-1' }, { date_to: '2025-02-29' }, { tz: 'Nowhere/City' }, { date_from: '2025-05-02', date_to: '2025-05-01' }]) {
      expect(() => resolveRange(q)).toThrow(expect.objectContaining({ status: 400 }));
    }
  });
});

describe('rates and funnel', () => {
  it('completion rate: one decimal, 0 without starts', () => {
    expect(completionRate(875, 1250)).toBe(70);
    expect(completionRate(1, 3)).toBe(33.3);
    expect(completionRate(2, 3)).toBe(66.7);
    expect(completionRate(1, 8)).toBe(12.5);
    expect(completionRate(5, 0)).toBe(0);
    expect(trend(70, 65.5, 10)).toBe(4.5);
    expect(trend(70, 0, 0)).toBeNull();
  });

  it("flags the documented largest drop (80 % → 45 %)", () => {
    const f = buildFunnel(200, [200, 180, 160, 90, 70].map((users, i) => ({ step_index: i, step_id: `s${i}`, users })));
    expect(f.steps.map((s) => [s.pct_of_starts, s.drop_from_previous, s.largest_drop])).toEqual([
      [100, 0, false], [90, 10, false], [80, 10, false], [45, 35, true], [35, 10, false],
    ]);
    expect(f.largest_drop_step).toBe(3);
    expect(buildFunnel(0, []).largest_drop_step).toBeNull();
  });

  it('nearest-rank quantiles', () => {
    expect(quantiles([5, 1, 3, 2, 4])).toEqual({ median: 3, p90: 5 });
    expect(quantiles(Array.from({ length: 10 }, (_, i) => i + 1))).toEqual({ median: 5, p90: 9 });
    expect(quantiles([])).toEqual({ median: null, p90: null });
  });
});

describe('CSV', () => {
  it('defuses formulas and quotes per RFC 4180', () => {
    for (const s of ['=1+2', '+1', '-1', '@SUM(A1)', '\tx', '\rx']) expect(csvCell(s).replace(/^"/, '').startsWith("'")).toBe(true);
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('=HYPERLINK("x")')).toBe('"\'=HYPERLINK(""x"")"');
    expect(csvCell(null)).toBe('');
    expect(csvCell({ a: 1 })).toBe('"{""a"":1}"');
    expect(csvLine(['a', 1, true])).toBe('a,1,true\r\n');
  });
});
