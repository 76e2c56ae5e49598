import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeBatch, post, startTestCollector, type TestCollector } from '../helpers/collector';

let c: TestCollector;
beforeAll(async () => {
  c = await startTestCollector();
});
afterAll(() => c.stop());

const sessions = async () => {
  await c.drain();
  const rows = await c.store.readCounters({ orgKey: 'test-org', granularity: 'day', metric: 'sessions' });
  return rows.reduce((n, r) => n + r.value, 0);
};

describe('idempotent ingest', () => {
  it('counts a batch posted twice once', async () => {
    const batch = makeBatch(10);
    expect((await post(c.url, '/api/ingest', batch)).status).toBe(204);
    expect((await post(c.url, '/api/ingest', batch)).status).toBe(204);
    expect(await c.store.countEvents('test-org')).toBe(10);
    expect(await sessions()).toBe(1);
    const steps = await c.store.readCounters({ orgKey: 'test-org', granularity: 'hour', metric: 'step_views' });
    expect(steps.filter((r) => r.dim === '').reduce((n, r) => n + r.value, 0)).toBe(9);
  });

  it('counts events that arrive by beacon (text/plain) and again by a gzipped retry, split differently, once', async () => {
    const before = await c.store.countEvents('test-org');
    const batch = makeBatch(6);
    const beacon = { ...batch, events: batch.events.slice(0, 4) };
    expect((await post(c.url, '/api/ingest', JSON.stringify(beacon), { 'content-type': 'text/plain;charset=UTF-8' })).status).toBe(204);
    expect((await post(c.url, '/api/ingest', gzipSync(JSON.stringify(batch)), { 'content-encoding': 'gzip' })).status).toBe(204);
    expect(await c.store.countEvents('test-org')).toBe(before + 6);
    expect(await sessions()).toBe(2);
    const m = await (await fetch(`${c.url}/metrics`)).text();
    expect(m).toMatch(/waymark_events_deduplicated_total 14/);
  });

  it('counts concurrent duplicates once', async () => {
    const before = await c.store.countEvents('test-org');
    const batch = makeBatch(20);
    const results = await Promise.all(Array.from({ length: 8 }, () => post(c.url, '/api/ingest', batch)));
    expect(results.every((r) => r.status === 204)).toBe(true);
    expect(await c.store.countEvents('test-org')).toBe(before + 20);
    expect(await sessions()).toBe(3);
  });
});

describe('POST /v1/sdk/events (tour and content events)', () => {
  it('stores tour and content events and counts them per tour / content item with the documented metric names', async () => {
    const base = { schemaVersion: 1, orgKey: 'test-org', sessionId: 's1', clientId: 'u1', url: 'https://app.example.com/', embedVersion: '1.0.0', ts: '2025-05-10T14:22:00.000Z' };
    const events = [
      { ...base, _tag: 'TourStarted', id: 't1', tourId: 'tour_123' },
      { ...base, _tag: 'StepViewed', id: 't2', tourId: 'tour_123', stepId: 'welcome', stepIndex: 0 },
      { ...base, _tag: 'StepCompleted', id: 't3', tourId: 'tour_123', stepId: 'welcome', stepIndex: 0 },
      { ...base, _tag: 'TourCompleted', id: 't4', tourId: 'tour_123' },
      { ...base, _tag: 'TourDismissed', id: 't5', tourId: 'tour_123', stepId: 'welcome' },
      { ...base, _tag: 'TourRestarted', id: 't6', tourId: 'tour_123' },
      { ...base, _tag: 'ContentViewed', id: 'c1', contentId: 'banner_1' },
      { ...base, _tag: 'ContentDismissed', id: 'c2', contentId: 'banner_1' },
      { ...base, _tag: 'ContentCtaClicked', id: 'c3', contentId: 'banner_1', cta: 'learn-more' },
      { ...base, _tag: 'target_not_found', id: 'x1', tourId: 'tour_123', selector: '#missing' },
    ];
    const res = await post(c.url, '/v1/sdk/events', { schemaVersion: 1, context: { orgKey: 'test-org', env: 'staging' }, events });
    expect(res.status).toBe(204);
    await c.drain();
    const day = await c.store.readCounters({ orgKey: 'test-org', env: 'staging', granularity: 'day' });
    const totals = Object.fromEntries(day.filter((r) => r.dim === '').map((r) => [`${r.contentKind}:${r.contentId}:${r.metric}`, r.value]));
    expect(totals).toEqual({
      'tour:tour_123:starts': 1,
      'tour:tour_123:step_views': 1,
      'tour:tour_123:step_completions': 1,
      'tour:tour_123:completions': 1,
      'tour:tour_123:dismissals': 1,
      'tour:tour_123:restarts': 1,
      'tour:tour_123:target_failures': 1,
      'content:banner_1:views': 1,
      'content:banner_1:dismissals': 1,
      'content:banner_1:cta_clicks': 1,
      // every event once more in the environment's own count
      'none::events': 10,
    });
    expect(day.find((r) => r.metric === 'target_failures' && r.dim === '#missing')?.value).toBe(1);
    const hour = await c.store.readCounters({ orgKey: 'test-org', env: 'staging', granularity: 'hour', metric: 'starts' });
    expect(hour.map((r) => r.period)).toEqual(['2025-05-10T14']);
    // env keeps staging apart from prod
    expect(await c.store.readCounters({ orgKey: 'test-org', env: 'prod', metric: 'starts' })).toEqual([]);
  });
});
