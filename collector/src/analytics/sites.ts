/**
 * A pixel site's analytics: events for the range (counters) with the change against the
 * previous period and one value per day, the sessions and users active in the range (their
 * merged records whose latest event lies in it: for a range that ends today, every session or
 * user seen in it), and the top properties with their top short values (counters).
 */
import { VALUE_SEPARATOR } from '../rollups/pixel-metrics';
import { foldDays, twoPeriods } from './periods';
import type { DateRange } from './range';
import { changePct } from './rates';
import type { AnalyticsReader, Scope } from './reader';

/** Properties listed, and values listed per property. */
const TOP_PROPERTIES = 10;
const TOP_VALUES = 5;

export interface SiteAnalytics {
  site: string;
  period: { from: string; to: string };
  previous_period: { from: string; to: string };
  events: number;
  previous_events: number;
  events_change_pct: number | null;
  /** session / user records whose latest event lies in the range (pixel events are always `prod`) */
  sessions: number;
  users: number;
  daily: { date: string; events: number }[];
  properties: { name: string; events: number; values: { value: string; events: number }[] }[];
}

const top = <T>(m: Map<string, number>, n: number, f: (k: string, v: number) => T): T[] =>
  [...m].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, n).map(([k, v]) => f(k, v));

export async function siteAnalytics(reader: AnalyticsReader, scope: Scope, site: string, range: DateRange): Promise<SiteAnalytics> {
  const tp = twoPeriods(range);
  const q = { ...scope, contentKind: 'site' as const, contentIds: [site], granularity: tp.granularity, fromPeriod: tp.fromPeriod, toPeriod: tp.toPeriod };
  const [rows, dims, active] = await Promise.all([
    reader.series({ ...q, metrics: ['events'] }),
    reader.dimSeries({ ...q, metrics: ['property_events', 'property_values'] }),
    scope.env === 'prod' ? reader.pixelActivity({ orgKey: scope.orgKey, sites: [site], start: range.start, end: range.end }) : Promise.resolve([]),
  ]);
  const ev = foldDays(tp, range.days.length, ['events'], rows).events!;
  const names = new Map<string, number>();
  const values = new Map<string, Map<string, number>>();
  for (const r of dims) {
    if (tp.place(r.period) < 0) continue;
    const v = Number(r.value);
    if (r.metric === 'property_events') names.set(r.dim, (names.get(r.dim) ?? 0) + v);
    else {
      const cut = r.dim.indexOf(VALUE_SEPARATOR);
      const name = r.dim.slice(0, cut);
      const of = values.get(name) ?? new Map<string, number>();
      of.set(r.dim.slice(cut + 1), (of.get(r.dim.slice(cut + 1)) ?? 0) + v);
      values.set(name, of);
    }
  }
  return {
    site,
    period: { from: range.from, to: range.to },
    previous_period: { from: tp.previous.from, to: tp.previous.to },
    events: ev.total,
    previous_events: ev.previous,
    events_change_pct: changePct(ev.total, ev.previous),
    sessions: active[0]?.sessions ?? 0,
    users: active[0]?.users ?? 0,
    daily: range.days.map((d, i) => ({ date: d.date, events: ev.daily[i]! })),
    properties: top(names, TOP_PROPERTIES, (name, events) => ({
      name, events, values: top(values.get(name) ?? new Map(), TOP_VALUES, (value, n) => ({ value, events: n })),
    })),
  };
}
