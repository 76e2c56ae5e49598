import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { post, seedBatch, startTestCollector, type TestCollector } from '../helpers/collector';
import { rawKey } from '../../src/store/types';

let c: TestCollector;
beforeAll(async () => {
  c = await startTestCollector();
});
afterAll(() => c.stop());

describe('POST /api/ingest with the documented example batch', () => {
  it('answers 204 with no body and stores both events, keyed tenant#content / timestamp#id', async () => {
    const res = await post(c.url, '/api/ingest', seedBatch());
    expect(res.status).toBe(204);
    expect(await res.text()).toBe('');
    expect(res.headers.get('set-cookie')).toBeNull();
    const stored = await c.store.listEvents({ orgKey: 'your-org-slug', limit: 10 });
    expect(stored.map((e) => [e.eventId, e.type, e.contentKind, e.contentId, e.sessionId, e.clientId, e.env])).toEqual([
      ['evt_abc123', 'session_start', 'journey', 'grant-application', 'sess_xyz789', 'client_def456', 'prod'],
      ['evt_abc124', 'step_view', 'journey', 'grant-application', 'sess_xyz789', 'client_def456', 'prod'],
    ]);
    expect(rawKey(stored[1]!)).toEqual({ pk: 'your-org-slug#journey:grant-application', sk: '2024-01-15T10:30:01.000Z#evt_abc124' });
    expect(JSON.parse(stored[1]!.json)).toEqual(seedBatch().events[1]);
    expect(stored[0]!.json).not.toMatch(/127\.0\.0\.1/);
  });

  it('counts it: sessions and step views per step, hourly and daily', async () => {
    await c.drain();
    const counters = await c.store.readCounters({ orgKey: 'your-org-slug', granularity: 'day' });
    expect(counters.map((x) => [x.period, x.metric, x.dim, x.value])).toEqual([
      ['2024-01-15', 'sessions', '', 1],
      ['2024-01-15', 'step_views', '', 1],
      ['2024-01-15', 'step_views', 'eligibility-check', 1],
      ['2024-01-15', 'events', '', 2], // the environment's event count
    ]);
    const hourly = await c.store.readCounters({ orgKey: 'your-org-slug', granularity: 'hour', metric: 'sessions' });
    expect(hourly.map((x) => [x.period, x.value])).toEqual([['2024-01-15T10', 1]]);
  });
});
