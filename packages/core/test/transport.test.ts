import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createBeaconTransport, createFetchTransport, createMemoryQueueStore, createTracker, parseRetryAfter } from '@waymark/core';
import { base, platform, recorder, tags, tick } from './helpers';

const res = (status: number, headers: Record<string, string> = {}) => new Response(status == 204 ? null : '{}', { status, headers });

describe('createFetchTransport', () => {
  it('posts text/plain with keepalive and maps statuses', async () => {
    const calls: Array<[string, RequestInit]> = [];
    const reason = '{"error":{"code":"invalid_batch","message":"events[0].ts: expected an ISO date"}}';
    const answers = [res(204), res(429, { 'retry-after': '30' }), res(503), new Response(reason, { status: 400 }), new Response(null, { status: 404 })];
    const fetch = vi.fn(async (url: string, init: RequestInit) => (calls.push([url, init]), answers.shift()!));
    const t = createFetchTransport({ endpoint: 'https://c.test/api/ingest', fetch: fetch as never });
    expect(await t.send('{"a":1}')).toEqual({ status: 'delivered' });
    expect(await t.send('x')).toEqual({ status: 'retryable', reason: 'http_429', retryAfterMs: 30_000 });
    expect(await t.send('x')).toEqual({ status: 'retryable', reason: 'http_503' });
    // a refused batch carries the status and the collector's JSON reason (for the debug log)
    expect(await t.send('x')).toEqual({ status: 'rejected', reason: `http_400 ${reason}`, code: 400 });
    expect(await t.send('x')).toEqual({ status: 'rejected', reason: 'http_404 ', code: 404 });
    expect(calls[0]).toEqual(['https://c.test/api/ingest', { method: 'POST', body: '{"a":1}', keepalive: true }]);
    // fetch itself labels a string body text/plain: a CORS-safelisted type, so no preflight
    const [url, init] = calls[0] as [string, RequestInit];
    expect(new Request(url, init).headers.get('content-type')).toBe('text/plain;charset=UTF-8');
  });

  it('turns a network error into retryable, and sends bodies over the keepalive quota as plain requests', async () => {
    const inits: RequestInit[] = [];
    const fetch = async (_: string, init: RequestInit) => {
      inits.push(init);
      // as browsers do: a keepalive body over 64 KiB in UTF-8 is refused at once
      if (inits.length <= 2 || (init.keepalive && new TextEncoder().encode(init.body as string).length > 65536)) throw new TypeError('Failed to fetch');
      return res(200);
    };
    const t = createFetchTransport({ endpoint: '/i', fetch: fetch as never });
    expect(await t.send('x')).toEqual({ status: 'retryable', reason: 'network_error' });
    expect(await t.send('€'.repeat(22_000))).toEqual({ status: 'delivered' }); // 66 000 bytes in UTF-8, 22 000 UTF-16 units
    expect(inits.slice(2).map((i) => i.keepalive)).toEqual([true, false]);
    expect(await t.send('x'.repeat(70_000))).toEqual({ status: 'delivered' }); // surely over the quota: plain at once
    expect(inits.slice(4).map((i) => i.keepalive)).toEqual([false]);
  });

  it('sends again without keepalive when the browser refuses the keepalive request (its quota is shared), once', async () => {
    const inits: RequestInit[] = [];
    const fetch = async (_: string, init: RequestInit) => {
      inits.push(init);
      if (init.keepalive || inits.length > 2) throw new TypeError('Failed to fetch');
      return res(204);
    };
    const t = createFetchTransport({ endpoint: '/i', fetch: fetch as never });
    expect(await t.send('x')).toEqual({ status: 'delivered' });
    expect(inits.map((i) => i.keepalive)).toEqual([true, false]);
    // a network that is really down: one keepalive try, one plain try, then retryable
    expect(await t.send('x')).toEqual({ status: 'retryable', reason: 'network_error' });
    expect(inits.map((i) => i.keepalive)).toEqual([true, false, true, false]);
  });

  it('does not touch fetch before sending', () => {
    const g = vi.spyOn(globalThis, 'fetch');
    createFetchTransport({ endpoint: '/i' });
    expect(g).not.toHaveBeenCalled();
    g.mockRestore();
  });
});

describe('parseRetryAfter', () => {
  it('reads seconds and HTTP dates', () => {
    const now = Date.parse('2026-01-15T10:30:00Z');
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter('Thu, 15 Jan 2026 10:31:00 GMT', now)).toBe(60_000);
    expect(parseRetryAfter('Thu, 15 Jan 2026 10:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });
});

describe('createBeaconTransport', () => {
  it('sends the body as a string (text/plain, no preflight); false keeps it for retry', async () => {
    const calls: unknown[][] = [];
    let ok = true;
    const t = createBeaconTransport({ endpoint: '/i', sendBeacon: (...a) => (calls.push(a), ok) });
    expect(await t.send('{"a":1}')).toEqual({ status: 'delivered' });
    ok = false;
    expect(await t.send('{"a":2}')).toMatchObject({ status: 'retryable' });
    expect(calls[0]).toEqual(['/i', '{"a":1}']);
    const throwing = createBeaconTransport({ endpoint: '/i', sendBeacon: () => { throw new TypeError('Illegal invocation'); } });
    expect(await throwing.send('x')).toMatchObject({ status: 'retryable' });
  });
});

describe('page hide', () => {
  beforeEach(() => void vi.useFakeTimers({ now: new Date('2026-01-15T10:30:00Z') }));
  afterEach(() => void vi.useRealTimers());

  it('flushes the buffer through sendBeacon with a text/plain body at once', async () => {
    let hide: (e: 'hide') => void = () => {};
    const beacons: Array<[string, unknown]> = [];
    const p = platform({
      onLifecycle: (f) => ((hide = f), () => {}),
      beaconTransport: createBeaconTransport({ endpoint: '/api/ingest', sendBeacon: (u, d) => (beacons.push([u, d]), true) }),
    });
    const t = createTracker({ ...base, platform: p });
    t.track('step_view', { stepKey: 'a' });
    hide('hide');
    expect(beacons).toHaveLength(1); // synchronously, while the page can still send
    const [url, data] = beacons[0]!;
    expect(url).toBe('/api/ingest');
    expect(typeof data).toBe('string'); // a string body goes out as text/plain;charset=UTF-8
    expect(tags(JSON.parse(data as string))).toEqual(['session_start', 'step_view']);
    await tick(10_000);
    expect(p.transport.sent).toHaveLength(0);
  });

  it('keeps in the queue what sendBeacon refuses, and delivers it later', async () => {
    const queueStore = createMemoryQueueStore();
    const transport = recorder();
    const p = platform({
      transport,
      queueStore,
      beaconTransport: createBeaconTransport({ endpoint: '/i', sendBeacon: () => false }),
    });
    const t = createTracker({ ...base, platform: p });
    t.track('step_view', { stepKey: 'a' });
    await t.flush({ beacon: true });
    expect(await queueStore.list()).toHaveLength(1);
    await tick();
    expect(transport.sent.map(tags)).toEqual([['session_start', 'step_view']]);
    expect(await queueStore.list()).toHaveLength(0);
  });
});
