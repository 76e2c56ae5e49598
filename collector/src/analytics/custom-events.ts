/**
 * Custom events (every event type the SDK does not define, tracked with `track(type, …)`):
 * counts by type for the range, their change against the previous period, one value per day per
 * type and in total. Counters only (`custom_events` per type, for journeys and for events
 * without a journey).
 */
import { OUTSIDE, PREVIOUS, twoPeriods } from './periods';
import type { DateRange } from './range';
import { changePct } from './rates';
import type { AnalyticsReader, Scope } from './reader';

/** Journeys whose custom events are read (the busiest ids first would need their totals: key order). */
const MAX_JOURNEYS = 500;

export interface CustomEventType {
  type: string;
  events: number;
  previous: number;
  change_pct: number | null;
  daily: number[];
}

export interface CustomEvents {
  period: { from: string; to: string };
  previous_period: { from: string; to: string };
  dates: string[];
  total: number;
  previous_total: number;
  change_pct: number | null;
  daily: number[];
  types: CustomEventType[];
}

export async function customEvents(reader: AnalyticsReader, scope: Scope, range: DateRange): Promise<CustomEvents> {
  const tp = twoPeriods(range);
  const journeys = await reader.contentIds({ ...scope, contentKind: 'journey', limit: MAX_JOURNEYS });
  const q = { ...scope, metrics: ['custom_events'], granularity: tp.granularity, fromPeriod: tp.fromPeriod, toPeriod: tp.toPeriod };
  const rows = (await Promise.all([
    reader.dimSeries({ ...q, contentKind: 'journey', contentIds: journeys }),
    reader.dimSeries({ ...q, contentKind: 'none', contentIds: [''] }),
  ])).flat();
  const n = range.days.length;
  const types = new Map<string, CustomEventType>();
  const daily = new Array<number>(n).fill(0);
  let total = 0;
  let previous = 0;
  for (const r of rows) {
    const i = tp.place(r.period);
    if (i === OUTSIDE) continue;
    let t = types.get(r.dim);
    if (!t) types.set(r.dim, (t = { type: r.dim, events: 0, previous: 0, change_pct: null, daily: new Array<number>(n).fill(0) }));
    const v = Number(r.value);
    if (i === PREVIOUS) {
      t.previous += v;
      previous += v;
    } else {
      t.events += v;
      t.daily[i]! += v;
      daily[i]! += v;
      total += v;
    }
  }
  for (const t of types.values()) t.change_pct = changePct(t.events, t.previous);
  return {
    period: { from: range.from, to: range.to },
    previous_period: { from: tp.previous.from, to: tp.previous.to },
    dates: range.days.map((d) => d.date),
    total,
    previous_total: previous,
    change_pct: changePct(total, previous),
    daily,
    types: [...types.values()].sort((a, b) => b.events - a.events || b.previous - a.previous || a.type.localeCompare(b.type)),
  };
}
