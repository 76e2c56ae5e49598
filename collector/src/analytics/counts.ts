/**
 * Event counts per local day or local hour of a range, from the read-model sums (each event at
 * its own time, per UTC day and quarter hour): exact in every time zone, sub-hour offsets included.
 */
import type { ContentKind } from '../store/types';
import { hourLabels, type DateRange } from './range';
import type { AnalyticsReader, Scope } from './reader';
import { readWindows, valueOf, type Span } from './windows';

export type Counts = Record<string, number>;

const zero = (metrics: readonly string[]): Counts => Object.fromEntries(metrics.map((m) => [m, 0]));

interface Target {
  reader: AnalyticsReader;
  scope: Scope;
  contentKind: ContentKind;
  contentId: string;
  metrics: readonly string[];
}

async function countsOf(t: Target, spans: Span[]): Promise<Counts[]> {
  const sums = await readWindows(t.reader, t.scope, { contentKind: t.contentKind, contentIds: [t.contentId], metrics: t.metrics, spans });
  return sums.map((s) => Object.fromEntries(t.metrics.map((m) => [m, valueOf(s, t.contentId, m)])));
}

/** Sums per day of the range, one entry per day (zeros included), in range order. */
export function dailyCounts(t: Target, range: DateRange): Promise<Counts[]> {
  return countsOf(t, range.days);
}

/** Sums per local hour "00".."23" of a one-day range (a 25-hour DST day folds its repeated hour). */
export async function hourlyCounts(t: Target, range: DateRange): Promise<{ hour: string; counts: Counts }[]> {
  const labels = [...hourLabels(range)];
  const day = range.days[0]!;
  // each local hour from its start to the next one (a DST day's short or long hour included)
  const spans = labels.map(([start], i) => ({ start, end: labels[i + 1]?.[0] ?? day.end }));
  const counts = await countsOf(t, spans);
  const hours = Array.from({ length: 24 }, (_, h) => ({ hour: String(h).padStart(2, '0'), counts: zero(t.metrics) }));
  labels.forEach(([, label], i) => {
    const c = hours[Number(label)]!.counts;
    for (const m of t.metrics) c[m] = (c[m] ?? 0) + counts[i]![m]!;
  });
  return hours;
}

/** Adds up per-day counts. */
export function sumCounts(rows: Counts[], metrics: readonly string[]): Counts {
  const total = zero(metrics);
  for (const r of rows) for (const m of metrics) total[m]! += r[m] ?? 0;
  return total;
}
