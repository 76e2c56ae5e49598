/**
 * Counter sums per local day or local hour of a range, from the rollups: daily counters in UTC,
 * hourly counters summed into local days in whole-hour zones, and raw events bucketed with the
 * zone's sub-hour shift where hourly rollups cannot be split (e.g. +05:30).
 */
import type { ContentKind } from '../store/types';
import { counterPeriods, dayIndex, hourLabels, hourPeriod, periodStart, type DateRange } from './range';
import type { AnalyticsReader, Scope } from './reader';

/** For the raw fallback: which event type each metric counts (tour metrics). */
export const TOUR_METRIC_TYPES: Record<string, string> = {
  starts: 'TourStarted',
  completions: 'TourCompleted',
  dismissals: 'TourDismissed',
  restarts: 'TourRestarted',
  step_views: 'StepViewed',
  step_completions: 'StepCompleted',
};

export type Counts = Record<string, number>;

const zero = (metrics: readonly string[]): Counts => Object.fromEntries(metrics.map((m) => [m, 0]));

interface Target {
  reader: AnalyticsReader;
  scope: Scope;
  contentKind: ContentKind;
  contentId: string;
  metrics: readonly string[];
}

/** Raw rows → (bucket ms, metric, value), for sub-hour zones. */
async function rawHours(t: Target, range: DateRange): Promise<{ t: number; metric: string; value: number }[]> {
  const byType = new Map(t.metrics.map((m) => [TOUR_METRIC_TYPES[m] ?? m, m]));
  const rows = await t.reader.rawBuckets({
    ...t.scope, contentKind: t.contentKind, contentId: t.contentId, types: [...byType.keys()],
    start: range.start, end: range.end, shiftMs: range.shiftMs,
  });
  return rows.map((r) => ({ t: r.bucket, metric: byType.get(r.type)!, value: r.count }));
}

async function hourRows(t: Target, range: DateRange) {
  if (range.shiftMs !== 0) return rawHours(t, range);
  const rows = await t.reader.series({
    ...t.scope, contentKind: t.contentKind, contentIds: [t.contentId], metrics: [...t.metrics],
    granularity: 'hour', fromPeriod: hourPeriod(range.start), toPeriod: hourPeriod(range.end - 1),
  });
  return rows.map((r) => ({ t: periodStart(r.period), metric: r.metric, value: r.value }));
}

/** Sums per day of the range, one entry per day (zeros included), in range order. */
export async function dailyCounts(t: Target, range: DateRange): Promise<Counts[]> {
  const days = range.days.map(() => zero(t.metrics));
  if (counterPeriods(range).granularity === 'day') {
    const index = new Map(range.days.map((d, i) => [d.date, i]));
    const rows = await t.reader.series({
      ...t.scope, contentKind: t.contentKind, contentIds: [t.contentId], metrics: [...t.metrics],
      granularity: 'day', fromPeriod: range.from, toPeriod: range.to,
    });
    for (const r of rows) {
      const i = index.get(r.period);
      if (i !== undefined) days[i]![r.metric] = (days[i]![r.metric] ?? 0) + r.value;
    }
    return days;
  }
  for (const r of await hourRows(t, range)) {
    const i = dayIndex(range, r.t);
    if (i >= 0) days[i]![r.metric] = (days[i]![r.metric] ?? 0) + r.value;
  }
  return days;
}

/** Sums per local hour "00".."23" of a one-day range (a 25-hour DST day folds its repeated hour). */
export async function hourlyCounts(t: Target, range: DateRange): Promise<{ hour: string; counts: Counts }[]> {
  const labels = hourLabels(range);
  const hours = Array.from({ length: 24 }, (_, h) => ({ hour: String(h).padStart(2, '0'), counts: zero(t.metrics) }));
  for (const r of await hourRows(t, range)) {
    const label = labels.get(r.t);
    if (label !== undefined) {
      const c = hours[Number(label)]!.counts;
      c[r.metric] = (c[r.metric] ?? 0) + r.value;
    }
  }
  return hours;
}

/** Adds up per-day counts. */
export function sumCounts(rows: Counts[], metrics: readonly string[]): Counts {
  const total = zero(metrics);
  for (const r of rows) for (const m of metrics) total[m]! += r[m] ?? 0;
  return total;
}
