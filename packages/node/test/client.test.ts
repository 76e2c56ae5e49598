import { afterEach, describe, expect, it } from 'vitest';
import { createNodeTracker } from '../src/client';
import type { NodeTracker } from '../src/types';
import { JOURNEY, ORG, startCollector, type TestCollector } from './helpers/collector';
import { eventually } from './helpers/eventually';
import { startFailingProxy } from './helpers/proxy';

const cleanup: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

async function collectorUp(opts?: Parameters<typeof startCollector>[0]): Promise<TestCollector> {
  const c = await startCollector(opts);
  cleanup.push(() => c.destroy());
  return c;
}

function trackerFor(endpoint: string, extra: Partial<Parameters<typeof createNodeTracker>[0]> = {}): NodeTracker {
  const t = createNodeTracker({ org: ORG, journey: JOURNEY, endpoint, ...extra });
  cleanup.push(() => t.shutdown({ timeout: 0 }));
  return t;
}


describe('createNodeTracker against the real collector', () => {
  it('delivers journey, tour and content events with explicit, scoped and generated identities', async () => {
    const collector = await collectorUp();
    const tracker = trackerFor(collector.ingestUrl);
    const visitor = tracker.withIdentity({ clientId: 'client-42' });
    const ids = [
      visitor.track('session_start', {})!.id,
      visitor.track('step_view', { stepKey: 'eligibility' })!.id,
      visitor.track('submit_success', { stepKey: 'eligibility' }, { sessionId: 'sess-override' })!.id,
      tracker.track('TourStarted', { tourId: 'onboarding' }, { sessionId: 'sess-1', clientId: 'client-1' })!.id,
      tracker.track('ContentViewed', { contentId: 'banner-1' })!.id,
      tracker.track('invoice_paid', { amount: 12.5 })!.id,
    ];
    await tracker.flush();
    const stored = await collector.events();
    // nothing else: the tracker opens no session of its own on a server
    expect(stored.map((e) => e.eventId)).toEqual(ids);
    const generated = visitor.identity.sessionId;
    expect(generated).toMatch(/^[0-9a-f-]{36}$/);
    expect(stored.map((e) => [e.type, e.sessionId, e.clientId])).toEqual([
      ['session_start', generated, 'client-42'],
      ['step_view', generated, 'client-42'],
      ['submit_success', 'sess-override', 'client-42'],
      ['TourStarted', 'sess-1', 'client-1'],
      ['ContentViewed', tracker.identity.sessionId, tracker.identity.clientId],
      ['invoice_paid', tracker.identity.sessionId, tracker.identity.clientId],
    ]);
  });

  it('retries after a 503 with Retry-After, not before it, and stores every event once', async () => {
    const collector = await collectorUp();
    const proxy = await startFailingProxy(collector.url, 1, { status: 503, retryAfter: '1' });
    cleanup.push(proxy.close);
    const tracker = trackerFor(`${proxy.url}/api/ingest`);
    const ids = Array.from({ length: 5 }, (_, i) => tracker.track('step_view', { stepKey: `s${i}` })!.id);
    await tracker.flush();
    expect(tracker.pendingEvents).toBe(5); // the 503 kept the batch
    await eventually(async () => {
      expect(await collector.eventIds()).toEqual(ids);
      expect(tracker.pendingEvents).toBe(0);
    });
    expect(proxy.arrivals.map((a) => a.forwarded)).toEqual([false, true]);
    expect(proxy.arrivals[1]!.encoding).toBe('gzip'); // the collector took the gzipped body
    expect(proxy.arrivals[1]!.at - proxy.arrivals[0]!.at).toBeGreaterThanOrEqual(990);
  });

  it('loses nothing while the collector is down, and delivers each event once when it is back', async () => {
    const first = await collectorUp();
    const { dataDir, port } = first;
    const tracker = trackerFor(first.ingestUrl, { flushAt: 10 });
    const before = Array.from({ length: 5 }, (_, i) => tracker.track('step_view', { stepKey: `before-${i}` })!.id);
    await tracker.flush();
    await first.stop();

    const during = Array.from({ length: 25 }, (_, i) => tracker.track('step_view', { stepKey: `during-${i}` })!.id);
    await tracker.flush();
    await new Promise((r) => setTimeout(r, 600)); // several failed attempts while it is down
    expect(tracker.pendingEvents).toBe(25);

    const second = await collectorUp({ dataDir, port });
    const after = [tracker.track('submit_success', { stepKey: 'done' })!.id];
    expect((await tracker.shutdown({ timeout: 5_000 })).pending).toBe(0);
    const stored = await second.eventIds();
    expect(stored).toEqual([...before, ...during, ...after]);
    expect(new Set(stored).size).toBe(stored.length);
  });

  it('shutdown() delivers everything still buffered and reports nothing pending', async () => {
    const collector = await collectorUp();
    const tracker = trackerFor(collector.ingestUrl, { flushAt: 1_000, flushInterval: 60_000 });
    const ids = Array.from({ length: 120 }, (_, i) => tracker.track('field_focus', { fieldKey: `f${i}` })!.id);
    expect(await collector.eventIds()).toEqual([]);
    expect(await tracker.shutdown({ timeout: 5_000 })).toEqual({ pending: 0 });
    expect(await collector.eventIds()).toEqual(ids);
    expect(tracker.track('step_view', { stepKey: 'late' })).toBeNull(); // stopped
  });

  it('shutdown() gives up at its timeout while the collector is unreachable and says what is left', async () => {
    const collector = await collectorUp();
    await collector.stop();
    const tracker = trackerFor(collector.ingestUrl);
    tracker.track('step_view', { stepKey: 'a' });
    tracker.track('step_view', { stepKey: 'b' });
    const t = Date.now();
    expect(await tracker.shutdown({ timeout: 300 })).toEqual({ pending: 2 });
    expect(Date.now() - t).toBeLessThan(2_000);
  });

  it('drops an event with a malformed per-call identity instead of poisoning its batch', async () => {
    const collector = await collectorUp();
    const tracker = trackerFor(collector.ingestUrl);
    const ok = tracker.track('step_view', { stepKey: 'a' })!.id;
    expect(tracker.track('step_view', { stepKey: 'b' }, { sessionId: 'x'.repeat(65) })).toBeNull();
    expect(tracker.track('step_view', { stepKey: 'c' }, { clientId: 42 as never })).toBeNull();
    await tracker.flush();
    expect(await collector.eventIds()).toEqual([ok]);
    expect(() => tracker.withIdentity({ sessionId: '' })).toThrow(/expected sessionId to be a string of 1 to 64 characters, got ""/);
  });

  it('refuses misconfiguration at init with "expected …, got …"', () => {
    const base = { org: ORG, endpoint: 'http://127.0.0.1:9/api/ingest' };
    expect(() => createNodeTracker({ ...base, endpoint: 'collector.local' })).toThrow(
      /expected endpoint to be the http\(s\) URL of the ingest API, got "collector.local"/,
    );
    expect(() => createNodeTracker({ ...base, org: '' })).toThrow(/^\[JourneyEmbed\] expected .*org.*, got ""$/);
    expect(() => createNodeTracker({ ...base, maxQueuedBatches: 0 })).toThrow(/expected maxQueuedBatches to be a positive number, got 0/);
    expect(() => createNodeTracker({ ...base, spoolDir: 7 as never })).toThrow(/expected spoolDir to be a directory path, got 7/);
  });
});
