/**
 * `aggregate` (the processor's pure step) against a plain restatement of its rule: every
 * increment of `incrementsOf` counted for the content's total (`dim` '') and per dimension,
 * hourly and daily, every event once in its environment's count (minute, hour, day), one delta per key, sorted by key; activity for every SDK event but the
 * noisy ones; two pixel record updates per pixel event.
 */
import { describe, expect, it } from 'vitest';
import { aggregate } from '../../src/rollups/aggregate';
import { DIM_ONLY_METRICS, incrementsOf } from '../../src/rollups/metrics';
import { pixelIncrements } from '../../src/rollups/pixel-metrics';
import type { CounterDelta, StoredEvent } from '../../src/store/types';
import type { WaymarkEvent } from '@waymark/core/schema';

function reference(events: StoredEvent[]): CounterDelta[] {
  const sums = new Map<string, CounterDelta>();
  for (const e of events) {
    const iso = new Date(e.ts).toISOString();
    const pixel = e.source === 'pixel';
    const incs = pixel ? pixelIncrements(JSON.parse(e.json).props) : incrementsOf(JSON.parse(e.json) as WaymarkEvent);
    for (const [metric, dim, value] of incs) {
      // a pixel event's property counters are per dimension only
      const dims = dim === undefined ? [''] : DIM_ONLY_METRICS.has(metric) || pixel ? [dim] : ['', dim];
      for (const d of dims) {
        for (const [granularity, period] of [['hour', iso.slice(0, 13)], ['day', iso.slice(0, 10)]] as const) {
          const key = [e.orgKey, e.env, e.contentKind, e.contentId, granularity, period, metric, d].join('\u0000');
          const c = sums.get(key);
          if (c) c.value += value;
          else sums.set(key, { orgKey: e.orgKey, env: e.env, contentKind: e.contentKind, contentId: e.contentId, metric, dim: d, granularity, period, value });
        }
      }
    }
    // and every event once in its environment's count, per minute, hour and day
    for (const [granularity, period] of [['minute', iso.slice(0, 16)], ['hour', iso.slice(0, 13)], ['day', iso.slice(0, 10)]] as const) {
      const key = [e.orgKey, e.env, 'none', '', granularity, period, 'events', ''].join('\u0000');
      const c = sums.get(key);
      if (c) c.value++;
      else sums.set(key, { orgKey: e.orgKey, env: e.env, contentKind: 'none', contentId: '', metric: 'events', dim: '', granularity, period, value: 1 });
    }
  }
  return [...sums.keys()].sort().map((k) => sums.get(k)!);
}

function events(n: number, seed: number): StoredEvent[] {
  let s = seed;
  const r = () => (s = (s * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)]!;
  const tags = ['TourStarted', 'StepViewed', 'TourDismissed', 'ContentCtaClicked', 'session_end', 'step_view', 'field_blur', 'validation_error', 'submit_success', 'web_vital', 'my_custom', 'pixel'];
  const base = Date.parse('2026-03-01T22:30:00Z');
  let ts = base;
  return Array.from({ length: n }, (_, seq) => {
    if (r() < 0.3) ts = base + Math.floor(r() * 4) * 1_800_000; // several hours across a day boundary, runs of equal ts
    const tag = pick(tags);
    const org = pick(['a', 'b']);
    const env = pick(['prod', 'staging']);
    if (tag === 'pixel') {
      const props = pick([{}, { title: pick(['Home', 'About']) }, { title: 'Home', url: `https://site.example/${'x'.repeat(80)}` }]);
      const json = JSON.stringify({ si: 'site.example', unixtimestamp: ts, eid: `e${seq}`, sid: 's1', uid: 'u1', props });
      return { seq, orgKey: org, env: 'prod', contentKind: 'site', contentId: 'site.example', ts, eventId: `e${seq}`, sessionId: 's1', clientId: 'u1', type: 'pixel', source: 'pixel', receivedAt: 0, json };
    }
    const e: Record<string, unknown> = { _tag: tag, tourId: pick(['t1', 't2']), stepId: pick(['x', 'y', undefined]), cta: pick(['buy', undefined]), completed: r() < 0.5, stepKey: pick(['k1', 'k2', '']) };
    Object.assign(e, { fieldKey: pick(['f1', 'f2']), durationMs: Math.floor(r() * 900), errorType: pick(['required', 'format']), name: 'LCP' });
    const kind = tag.startsWith('Tour') || tag.startsWith('Step') ? 'tour' : tag.startsWith('Content') ? 'content' : 'journey';
    return { seq, orgKey: org, env, contentKind: kind, contentId: pick(['c1', 'c2']), ts, eventId: `e${seq}`, sessionId: 's', clientId: 'c', type: tag, source: 'sdk', receivedAt: 0, json: JSON.stringify(e) };
  });
}

describe('aggregate', () => {
  it('sums every increment per key, hourly and daily, sorted by key', () => {
    for (const seed of [1, 2, 3]) {
      const evs = events(2000, seed);
      const agg = aggregate(evs);
      expect(agg.counters).toEqual(reference(evs));
      expect(agg.activity).toHaveLength(evs.filter((e) => e.source === 'sdk' && e.type !== 'field_blur' && e.type !== 'web_vital').length);
      expect(agg.pixel).toHaveLength(2 * evs.filter((e) => e.source === 'pixel').length);
    }
  });

  it('aggregates nothing to nothing', () => {
    expect(aggregate([])).toEqual({ counters: [], activity: [], pixel: [], entities: [], sums: [], sketches: [] });
  });
});

describe('pixelIncrements', () => {
  it('counts the event, each property by name, and short plain values by name and value', () => {
    expect(pixelIncrements({ title: 'Home', url: `https://x/${'a'.repeat(80)}`, note: 'a\u0000b' })).toEqual([
      ['events', undefined, 1],
      ['property_events', 'title', 1],
      ['property_values', 'title\u001fHome', 1],
      ['property_events', 'url', 1],
      ['property_events', 'note', 1],
    ]);
  });

  it('counts at most 20 properties of one event', () => {
    const props = Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`p${i}`, 'v']));
    expect(pixelIncrements(props).filter(([m]) => m === 'property_events')).toHaveLength(20);
  });
});
