/**
 * A range and the previous period of equal length read in ONE counter query: the periods that
 * cover both, and where each counter period falls (a day of the range, the previous period, or
 * neither). Daily counters in UTC, hourly ones folded into local days in other zones.
 */
import { counterPeriods, dayIndex, hourPeriod, periodStart, previousRange, type DateRange } from './range';

/** Where a counter period falls: a day index of the range (>= 0), {@link PREVIOUS} or {@link OUTSIDE}. */
export const PREVIOUS = -1;
export const OUTSIDE = -2;

export interface TwoPeriods {
  previous: DateRange;
  granularity: 'day' | 'hour';
  fromPeriod: string;
  toPeriod: string;
  place(period: string): number;
}

export function twoPeriods(range: DateRange): TwoPeriods {
  const previous = previousRange(range);
  const { granularity } = counterPeriods(range);
  if (granularity === 'day') {
    const days = new Map(range.days.map((d, i) => [d.date, i]));
    const before = new Set(previous.days.map((d) => d.date));
    return {
      previous, granularity, fromPeriod: previous.from, toPeriod: range.to,
      place: (p) => days.get(p) ?? (before.has(p) ? PREVIOUS : OUTSIDE),
    };
  }
  return {
    previous, granularity, fromPeriod: hourPeriod(previous.start), toPeriod: hourPeriod(range.end - 1),
    place(p) {
      const t = periodStart(p);
      const i = dayIndex(range, t);
      if (i >= 0) return i;
      return t >= previous.start && t < previous.end ? PREVIOUS : OUTSIDE;
    },
  };
}

/** Per metric: the range's daily values and the previous period's total. */
export interface MetricDays {
  daily: number[];
  total: number;
  previous: number;
}

/** Folds counter rows of one content into {@link MetricDays} per metric. */
export function foldDays(
  tp: TwoPeriods, days: number, metrics: readonly string[], rows: Iterable<{ period: string; metric: string; value: number }>,
): Record<string, MetricDays> {
  const out: Record<string, MetricDays> = {};
  for (const m of metrics) out[m] = { daily: new Array<number>(days).fill(0), total: 0, previous: 0 };
  for (const r of rows) {
    const m = out[r.metric];
    if (!m) continue;
    const i = tp.place(r.period);
    const v = Number(r.value);
    if (i >= 0) {
      m.daily[i]! += v;
      m.total += v;
    } else if (i === PREVIOUS) m.previous += v;
  }
  return out;
}
