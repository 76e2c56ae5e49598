/**
 * Rebuilt rollups equal incremental ones; retention purges raw events but never counters, and a
 * rebuild after a purge keeps the counters of days whose raw events are gone.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aggregate } from '../../src/rollups/aggregate';
import { purgeNow, rebuildFrom } from '../../src/retention';
import { parseConfig } from '../../src/config/schema';
import { post, startTestCollector, type TestCollector } from '../helpers/collector';

const DAY = 86_400_000;
const NOW = Date.now();
let c: TestCollector;
beforeAll(async () => {
  c = await startTestCollector();
});
afterAll(() => c.stop());

let seq = 0;
function randomEvents(n: number, maxAgeDays: number, seed: number) {
  let s = seed;
  const r = () => ((s = (s * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
  const tags = ['TourStarted', 'StepViewed', 'StepCompleted', 'TourCompleted', 'TourDismissed', 'TourRestarted', 'ContentViewed', 'ContentDismissed', 'ContentCtaClicked', 'target_not_found', 'session_start', 'session_end', 'page_view', 'step_view', 'field_focus', 'field_blur', 'field_change', 'validation_error', 'submit_attempt', 'submit_success', 'dropoff_signal', 'custom_thing'];
  return Array.from({ length: n }, () => {
    const tag = tags[Math.floor(r() * tags.length)]!;
    const tour = `tour_${Math.floor(r() * 3)}`;
    const step = `s${Math.floor(r() * 4)}`;
    const e: Record<string, unknown> = {
      _tag: tag,
      schemaVersion: 1,
      id: `rb_${seed}_${seq++}`,
      ts: new Date(NOW - Math.floor(r() * maxAgeDays * DAY)).toISOString(),
      orgKey: 'test-org',
      journeyKey: 'test-journey',
      sessionId: `sess_${Math.floor(r() * 50)}`,
      clientId: `client_${Math.floor(r() * 30)}`,
      url: 'https://app.example.com/',
      embedVersion: '1.0.0',
    };
    if (tag.startsWith('Tour') || tag.startsWith('Step')) e.tourId = tour;
    if (tag === 'StepViewed' || tag === 'StepCompleted') Object.assign(e, { stepId: step, stepIndex: Number(step[1]) });
    if (tag.startsWith('Content')) e.contentId = `content_${Math.floor(r() * 2)}`;
    if (tag === 'target_not_found') Object.assign(e, { selector: `#el-${Math.floor(r() * 3)}`, tourId: tour });
    if (tag === 'session_end') Object.assign(e, { completed: r() < 0.5, durationMs: Math.floor(r() * 1e5) });
    if (tag === 'step_view') e.stepKey = step;
    if (tag.startsWith('field_') || tag === 'validation_error') e.fieldKey = `field_${Math.floor(r() * 3)}`;
    if (tag === 'field_blur') e.durationMs = Math.floor(r() * 5000);
    if (tag === 'validation_error') e.errorType = r() < 0.5 ? 'required' : 'format';
    if (tag === 'dropoff_signal') e.reason = 'inactivity';
    return e;
  });
}

async function send(events: Record<string, unknown>[]) {
  for (let i = 0; i < events.length; i += 100) {
    const res = await post(c.url, '/api/ingest', { schemaVersion: 1, context: { orgKey: 'test-org', journeyKey: 'test-journey', env: i % 200 ? 'prod' : 'staging' }, events: events.slice(i, i + 100) });
    expect(res.status).toBe(204);
  }
}

describe('rollups', () => {
  it('rebuilt counters equal the incremental ones', async () => {
    const events = randomEvents(3000, 20, 7);
    await send(events);
    await send(events.slice(0, 500)); // duplicates change nothing
    for (let i = 0; i < 30; i++) expect((await fetch(`${c.url}/log?si=test.site&sid=p${i % 4}&n=${i}`)).status).toBe(200);
    await c.drain();
    const incremental = await c.store.readCounters({});
    expect(incremental.length).toBeGreaterThan(500);
    const read = await c.store.rebuildRollups(0, aggregate);
    expect(read).toBe(3030);
    expect(await c.store.readCounters({})).toEqual(incremental);
  });

  it('retention purges raw events and minute counters older than a day, never hour or day counters; a rebuild keeps counters older than the raw retention', async () => {
    const old = randomEvents(200, 5, 11).map((e) => ({ ...e, ts: new Date(Date.parse(e.ts as string) - 100 * DAY).toISOString() }));
    await send(old);
    await c.drain();
    const before = await c.store.readCounters({});
    const total = await c.store.countEvents();
    const retention = parseConfig({}).retention;
    const purged = await purgeNow(c.store, retention, NOW);
    expect(purged.rawEvents).toBe(200);
    expect(await c.store.countEvents()).toBe(total - 200);
    // the live figure's minute counters last a day; every other counter stays
    const dayAgo = new Date(NOW - 24 * 3_600_000).toISOString().slice(0, 16);
    const kept = before.filter((x) => x.granularity !== 'minute' || x.period >= dayAgo);
    expect(purged.minuteCounters).toBe(before.length - kept.length);
    expect(purged.minuteCounters).toBeGreaterThan(0);
    expect(await c.store.readCounters({})).toEqual(kept);
    // a rebuild derives minute counters again from the raw events it reads; the next purge drops them
    await c.store.rebuildRollups(rebuildFrom(retention, NOW), aggregate);
    expect((await c.store.readCounters({})).filter((x) => x.granularity !== 'minute')).toEqual(kept.filter((x) => x.granularity !== 'minute'));
    await purgeNow(c.store, retention, NOW);
    expect(await c.store.readCounters({})).toEqual(kept);
    // the 100-day-old days still answer from their counters
    const oldDay = new Date(NOW - 101 * DAY).toISOString().slice(0, 10);
    const oldCounters = await c.store.readCounters({ granularity: 'day', toPeriod: oldDay });
    expect(oldCounters.length).toBeGreaterThan(0);
  });
});
