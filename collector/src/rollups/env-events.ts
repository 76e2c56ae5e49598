/**
 * Every stored event counted once per org × environment, per minute, hour and day, so the
 * dashboard can show each environment's event count and a live figure (events of the last
 * minutes) from counters. They sit beside the content counters under a content of their own:
 * kind `none`, id `''`, metric `events`, which no event increments otherwise (pixel events count
 * `events` under their site).
 */
import type { CounterDelta, StoredEvent } from '../store/types';

/** Where the per-environment event counters live. */
export const ENV_EVENTS = { contentKind: 'none', contentId: '', metric: 'events' } as const;

/** `YYYY-MM-DDTHH:MM`: the period of a minute counter (UTC). */
export const minutePeriod = (t: number): string => new Date(t).toISOString().slice(0, 16);

/**
 * The deltas of the per-environment event counters of `events`, keyed like the aggregator keys
 * its counters (org, env, kind, content, granularity, period, metric, dim joined by NUL).
 */
export function envEventCounters(events: readonly StoredEvent[]): Map<string, CounterDelta> {
  const out = new Map<string, CounterDelta>();
  let lastTs = NaN;
  let iso = '';
  for (const e of events) {
    if (e.ts !== lastTs) {
      lastTs = e.ts;
      iso = new Date(e.ts).toISOString();
    }
    for (const [granularity, period] of [['minute', iso.slice(0, 16)], ['hour', iso.slice(0, 13)], ['day', iso.slice(0, 10)]] as const) {
      const k = [e.orgKey, e.env, ENV_EVENTS.contentKind, ENV_EVENTS.contentId, granularity, period, ENV_EVENTS.metric, ''].join('\u0000');
      const c = out.get(k);
      if (c) c.value++;
      else out.set(k, { orgKey: e.orgKey, env: e.env, contentKind: ENV_EVENTS.contentKind, contentId: '', metric: ENV_EVENTS.metric, dim: '', granularity, period, value: 1 });
    }
  }
  return out;
}
