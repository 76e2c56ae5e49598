/**
 * The dashboard's home: every journey, tour, content item and pixel site of the environment
 * with its traffic for the range (sessions, starts, views, events), its rate (completion or
 * click-through), one value per day for a sparkline, and the change against the previous
 * period of equal length. Counters only: the ids come from a skip scan of the counters key, the
 * figures from one counter range per kind covering both periods.
 */
import type { ContentKind } from '../store/types';
import { foldDays, twoPeriods } from './periods';
import type { DateRange } from './range';
import { changePct, changePts, rateOrNull } from './rates';
import type { AnalyticsReader, Scope } from './reader';

/** Most entities of one kind the home lists (the busiest first). */
export const MAX_ENTITIES = 500;

interface Kind {
  kind: ContentKind;
  traffic: string;
  rate?: { name: 'completion_rate' | 'click_through_rate'; part: string };
}

/** What each kind lists: journeys by sessions, tours by starts, content by views, sites by events. */
export const ENTITY_KINDS: readonly Kind[] = [
  { kind: 'journey', traffic: 'sessions', rate: { name: 'completion_rate', part: 'completions' } },
  { kind: 'tour', traffic: 'starts', rate: { name: 'completion_rate', part: 'completions' } },
  { kind: 'content', traffic: 'views', rate: { name: 'click_through_rate', part: 'cta_clicks' } },
  { kind: 'site', traffic: 'events' },
];

export interface EntitySummary {
  id: string;
  /** the kind's traffic metric summed over the range */
  traffic: number;
  previous_traffic: number;
  /** percent against the previous period; null when it had none */
  traffic_change_pct: number | null;
  /** completion or click-through rate; null without traffic */
  rate: number | null;
  previous_rate: number | null;
  /** percentage points against the previous period; null when either has no rate */
  rate_change_pts: number | null;
  /** the traffic metric per day of the range */
  daily: number[];
  /** declared in the configuration (journeys, pixel sites), listed even without data */
  configured: boolean;
}

export interface EntitySection {
  kind: ContentKind;
  traffic_metric: string;
  rate_metric: string | null;
  items: EntitySummary[];
}

export interface Entities {
  period: { from: string; to: string };
  previous_period: { from: string; to: string };
  dates: string[];
  sections: EntitySection[];
}

async function section(reader: AnalyticsReader, scope: Scope, range: DateRange, k: Kind, configured: readonly string[]): Promise<EntitySection> {
  const ids = [...new Set([...(await reader.contentIds({ ...scope, contentKind: k.kind, limit: MAX_ENTITIES })), ...configured])];
  const tp = twoPeriods(range);
  const metrics = k.rate ? [k.traffic, k.rate.part] : [k.traffic];
  const rows = ids.length
    ? await reader.series({ ...scope, contentKind: k.kind, contentIds: ids, metrics, granularity: tp.granularity, fromPeriod: tp.fromPeriod, toPeriod: tp.toPeriod })
    : [];
  const byId = new Map<string, typeof rows>(ids.map((id) => [id, []]));
  for (const r of rows) byId.get(r.contentId)?.push(r);
  const declared = new Set(configured);
  const items: EntitySummary[] = [];
  for (const [id, own] of byId) {
    const m = foldDays(tp, range.days.length, metrics, own);
    const t = m[k.traffic]!;
    if (!t.total && !t.previous && !declared.has(id)) continue;
    const part = k.rate ? m[k.rate.part]! : undefined;
    const rate = part ? rateOrNull(part.total, t.total) : null;
    const previousRate = part ? rateOrNull(part.previous, t.previous) : null;
    items.push({
      id, traffic: t.total, previous_traffic: t.previous, traffic_change_pct: changePct(t.total, t.previous),
      rate, previous_rate: previousRate, rate_change_pts: changePts(rate, previousRate), daily: t.daily, configured: declared.has(id),
    });
  }
  items.sort((a, b) => b.traffic - a.traffic || b.previous_traffic - a.previous_traffic || a.id.localeCompare(b.id));
  return { kind: k.kind, traffic_metric: k.traffic, rate_metric: k.rate?.name ?? null, items };
}

/** The home's lists; `configured` names the org's declared journeys and pixel sites. */
export async function entities(
  reader: AnalyticsReader, scope: Scope, range: DateRange, configured: { journey: readonly string[]; site: readonly string[] },
): Promise<Entities> {
  const tp = twoPeriods(range);
  const sections = await Promise.all(
    ENTITY_KINDS.map((k) => section(reader, scope, range, k, k.kind === 'journey' ? configured.journey : k.kind === 'site' ? configured.site : [])),
  );
  return {
    period: { from: range.from, to: range.to },
    previous_period: { from: tp.previous.from, to: tp.previous.to },
    dates: range.days.map((d) => d.date),
    sections,
  };
}
