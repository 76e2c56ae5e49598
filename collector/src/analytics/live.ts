/**
 * The live figures: events of the environment in the last minutes (per-minute counters the
 * processor keeps), and the event count of every environment over a range, so that data sent
 * with `data-env="dev"` is never hidden behind an empty `prod`.
 */
import { ENVIRONMENTS } from '@waymark/core/schema';
import { ENV_EVENTS, minutePeriod } from '../rollups/env-events';
import { counterPeriods, type DateRange } from './range';
import type { AnalyticsReader, Scope } from './reader';

const MINUTE = 60_000;
/** Minutes of the live figure ("events in the last 5 minutes": this minute and the 4 before). */
export const LIVE_MINUTES = 5;
/** Minutes of the per-minute chart. */
export const CHART_MINUTES = 30;

export interface Live {
  now: string;
  window_minutes: number;
  /** events whose time falls in the current UTC minute or the `window_minutes - 1` before it */
  events: number;
  /** the last `CHART_MINUTES` minutes, oldest first */
  per_minute: { minute: string; events: number }[];
}

export async function live(reader: AnalyticsReader, scope: Scope, now: number): Promise<Live> {
  const first = Math.floor(now / MINUTE) * MINUTE - (CHART_MINUTES - 1) * MINUTE;
  const rows = await reader.series({
    ...scope, contentKind: ENV_EVENTS.contentKind, contentIds: [ENV_EVENTS.contentId], metrics: [ENV_EVENTS.metric],
    granularity: 'minute', fromPeriod: minutePeriod(first), toPeriod: minutePeriod(now),
  });
  const by = new Map(rows.map((r) => [r.period, Number(r.value)]));
  const perMinute = Array.from({ length: CHART_MINUTES }, (_, i) => {
    const t = first + i * MINUTE;
    return { minute: new Date(t).toISOString(), events: by.get(minutePeriod(t)) ?? 0 };
  });
  return {
    now: new Date(now).toISOString(),
    window_minutes: LIVE_MINUTES,
    events: perMinute.slice(-LIVE_MINUTES).reduce((n, m) => n + m.events, 0),
    per_minute: perMinute,
  };
}

export interface Environments {
  /** the org of the API key, with its declared journeys and pixel sites (for the script tag to paste) */
  org: { key: string; journeys: string[]; sites: string[] };
  period: { from: string; to: string };
  environments: { env: string; events: number }[];
  /** the environment with the most events in the range (null when none has any) */
  busiest: string | null;
}

export async function environments(reader: AnalyticsReader, org: Environments['org'], range: DateRange): Promise<Environments> {
  const orgKey = org.key;
  const p = counterPeriods(range);
  const counts = await Promise.all(
    ENVIRONMENTS.map(async (env) => {
      const rows = await reader.totals({
        orgKey, env, contentKinds: [ENV_EVENTS.contentKind], contentId: ENV_EVENTS.contentId, metrics: [ENV_EVENTS.metric], byDim: false, ...p,
      });
      return { env: env as string, events: rows.reduce((n, r) => n + Number(r.value), 0) };
    }),
  );
  const best = counts.reduce<{ env: string; events: number } | null>((b, c) => (c.events > (b?.events ?? 0) ? c : b), null);
  return { org, period: { from: range.from, to: range.to }, environments: counts, busiest: best?.env ?? null };
}

