// Node environment: no window, as during server-side rendering.
import { expect, test } from 'vitest';

test('importing touches no browser global, and init on the server returns a tracker that does nothing', async () => {
  expect(typeof window).toBe('undefined');
  const { init, track, getTracker } = await import('../src/index');
  const t = init({ org: 'acme', endpoint: 'https://example.com/api/ingest' });
  expect(t.track('x')).toBeNull();
  expect(t.step('a')).toBeNull();
  expect(t.tour('t').started()).toBeNull();
  expect(t.content('c').viewed()).toBeNull();
  await t.flush();
  await t.shutdown();
  expect(track('y')).toBeNull();
  // nothing remembered: the browser's init still creates the real tracker
  expect(getTracker()).toBeUndefined();
});

test('the vitals entry can be imported on the server too', async () => {
  const { webVitals } = await import('../src/vitals');
  expect(webVitals().name).toBe('web-vitals');
});
