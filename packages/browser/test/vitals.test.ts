// @vitest-environment happy-dom
import { createMemoryQueueStore, createMemoryStorage, createTracker, type WaymarkEvent } from '@waymark/core';
import { validateEvent } from '@waymark/core/schema';
import { expect, test, vi } from 'vitest';

// web-vitals needs a real browser's performance entries; here each reporter is captured and fed by hand
const reporters = vi.hoisted(() => new Map<string, (m: object) => void>());
vi.mock('web-vitals', () => {
  const on = (name: string) => (cb: (m: object) => void) => void reporters.set(name, cb);
  return { onLCP: on('LCP'), onINP: on('INP'), onCLS: on('CLS'), onFCP: on('FCP'), onTTFB: on('TTFB') };
});
const { webVitals } = await import('../src/vitals');

const tracker = (metrics?: ('LCP' | 'CLS')[]) => {
  const events: WaymarkEvent[] = [];
  const beacons: string[] = [];
  const t = createTracker({
    org: 'acme',
    endpoint: 'http://127.0.0.1:9/api/ingest',
    beforeSend: (e) => (events.push(e), e),
    plugins: [webVitals({ metrics })],
    platform: {
      transport: { send: async () => ({ status: 'delivered' }) },
      beaconTransport: { send: async (b) => (beacons.push(b), { status: 'delivered' }) },
      storage: createMemoryStorage(),
      queueStore: createMemoryQueueStore(),
    },
  });
  return { t, events, beacons };
};

test('each metric becomes a web_vital event, valid on the wire', () => {
  reporters.clear();
  const { t, events } = tracker();
  expect([...reporters.keys()].sort()).toEqual(['CLS', 'FCP', 'INP', 'LCP', 'TTFB']);
  reporters.get('LCP')!({ name: 'LCP', value: 1234.5, rating: 'good' });
  reporters.get('CLS')!({ name: 'CLS', value: 0.31, rating: 'poor' });
  const vitals = events.filter((e) => e._tag === 'web_vital');
  expect(vitals).toMatchObject([
    { name: 'LCP', value: 1234.5, rating: 'good' },
    { name: 'CLS', value: 0.31, rating: 'poor' },
  ]);
  for (const e of vitals) expect(validateEvent(JSON.parse(JSON.stringify(e))).ok).toBe(true);
  void t.shutdown();
});

test('only the chosen metrics; a metric final at page hide goes out by beacon; nothing after shutdown', async () => {
  reporters.clear();
  const { t, events, beacons } = tracker(['CLS']);
  expect([...reporters.keys()]).toEqual(['CLS']);
  Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'hidden' });
  reporters.get('CLS')!({ name: 'CLS', value: 0.05, rating: 'good' });
  await Promise.resolve();
  expect(beacons).toHaveLength(1);
  expect(JSON.parse(beacons[0]!).events.map((e: WaymarkEvent) => e._tag)).toEqual(['session_start', 'web_vital']);
  await t.shutdown();
  reporters.get('CLS')!({ name: 'CLS', value: 0.5, rating: 'poor' });
  expect(events.filter((e) => e._tag === 'web_vital')).toHaveLength(1);
  Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'visible' });
});
