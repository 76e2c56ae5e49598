import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createFetchTransport, createMemoryQueueStore, createMemoryStorage, createTracker, type Tracker } from '@waymark/core';
import { validateBatch } from '@waymark/core/schema';
import { base, platform, recorder, tags, tick } from './helpers';

beforeEach(() => void vi.useFakeTimers({ now: new Date('2026-01-15T10:30:00Z') }));
afterEach(() => void vi.useRealTimers());

describe('events and batches', () => {
  it('builds batches in the documented format that pass validateBatch', async () => {
    const p = platform({ storage: createMemoryStorage() });
    const t = createTracker({ ...base, platform: p, version: '1.0.0' });
    t.track('step_view', { stepKey: 'eligibility-check' });
    t.track('StepViewed', { tourId: 't1', stepId: 's1', stepIndex: 0 });
    t.track('custom_event_type', { key: 'value' });
    await t.flush();
    expect(p.transport.sent).toHaveLength(1);
    const b = p.transport.sent[0]!;
    expect(validateBatch(b)).toMatchObject({ ok: true });
    expect(b.schemaVersion).toBe(1);
    expect(b.context).toEqual({ orgKey: 'your-org-slug', journeyKey: 'grant-application', language: 'en-US', deviceClass: 'desktop', env: 'prod' });
    expect(tags(b)).toEqual(['session_start', 'step_view', 'StepViewed', 'custom_event_type']);
    expect(b.events[1]).toMatchObject({
      schemaVersion: 1,
      ts: '2026-01-15T10:30:00.000Z',
      orgKey: 'your-org-slug',
      journeyKey: 'grant-application',
      stepKey: 'eligibility-check',
      sessionId: t.sessionId,
      clientId: t.clientId,
      url: 'https://grants.example.com/apply',
      referrer: 'https://google.com',
      embedVersion: '1.0.0',
    });
    expect(b.events[2]).toMatchObject({ tourId: 't1', stepId: 's1', stepIndex: 0 });
    expect(b.events[3]).toMatchObject({ props: { key: 'value' } });
    expect(b.events[3]).not.toHaveProperty('key');
    for (const e of b.events) expect(e.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(new Set(b.events.map((e) => e.id)).size).toBe(4);
  });

  it('keeps custom props flat and refuses bad custom names, so one event never spoils a batch', async () => {
    const p = platform();
    const t = createTracker({ ...base, platform: p });
    expect(t.track('1 bad name' as string, {})).toBeNull();
    const e = t.track('ok_event', { a: 1, b: 'x', c: true, d: null, nested: { x: 1 } as never, f: (() => 1) as never });
    expect(e).toMatchObject({ props: { a: 1, b: 'x', c: true, d: null } });
    expect((e as { props: object }).props).not.toHaveProperty('nested');
    await t.flush();
    expect(validateBatch(p.transport.sent[0]).ok).toBe(true);
  });

  it('rejects misconfiguration at init with "expected …, got …"', () => {
    expect(() => createTracker({ ...base, org: '', platform: platform() })).toThrow(/expected a valid org, got ""/);
    expect(() => createTracker({ ...base, flushAt: -1, platform: platform() })).toThrow(/expected a valid flushAt, got -1/);
    expect(() => createTracker({ ...base, env: 'live' as never, platform: platform() })).toThrow(/env, got "live"/);
    expect(() => createTracker({ ...base, platform: {} as never })).toThrow(/platform/);
    // undefined means "use the default"
    expect(createTracker({ ...base, flushAt: undefined, platform: platform() }).options.flushAt).toBe(20);
  });
});

describe('buffer and flushing', () => {
  const steps = (t: Tracker, n: number) => {
    for (let i = 0; i < n; i++) t.track('step_view', { stepKey: 's' + i });
  };

  it('flushes by count (default 20, session_start included)', async () => {
    const p = platform();
    const t = createTracker({ ...base, platform: p });
    steps(t, 18);
    await tick();
    expect(p.transport.sent).toHaveLength(0);
    steps(t, 1);
    await tick();
    expect(p.transport.sent.map((b) => b.events.length)).toEqual([20]);
  });

  it('flushes by time: flushInterval after the first buffered event', async () => {
    const p = platform();
    const t = createTracker({ ...base, platform: p, flushInterval: 5000 });
    steps(t, 2);
    await tick(4999);
    expect(p.transport.sent).toHaveLength(0);
    await tick(1);
    expect(p.transport.sent.map(tags)).toEqual([['session_start', 'step_view', 'step_view']]);
  });

  it('flushes by bytes, and every body stays within flushBytes', async () => {
    const p = platform();
    const t = createTracker({ ...base, platform: p, flushBytes: 4000, flushAt: 1000 });
    for (let i = 0; i < 30; i++) t.track('note', { text: 'é'.repeat(300) });
    await tick();
    expect(p.transport.sent.length).toBeGreaterThan(1);
    await t.flush();
    for (const body of p.transport.bodies) expect(new TextEncoder().encode(body).length).toBeLessThanOrEqual(4000);
    expect(p.transport.sent.flatMap((b) => b.events).length).toBe(31);
  });

  it('stamps every event with its exact ISO time, also when the clock steps back or jumps', async () => {
    const p = platform();
    const t = createTracker({ ...base, platform: p, flushAt: 1000 });
    const start = Date.parse('2026-01-15T10:30:00Z');
    const times = [999, 1000, 1001, 1999, 500, 2000, -1, 86_400_000 - 1, 86_400_000, 3, 1e9 + 7].map((d) => start + d);
    for (const x of times) {
      vi.setSystemTime(x);
      t.track('tick', {});
    }
    await t.flush();
    const ts = p.transport.sent.flatMap((b) => b.events).filter((e) => e._tag == 'tick').map((e) => e.ts);
    expect(ts).toEqual(times.map((x) => new Date(x).toISOString()));
  });

  it('cuts full batches by its size estimate: each is serialised once and goes out close to flushBytes', async () => {
    // custom events on a page with a referrer: the case the estimate once undercounted, so that
    // every full batch was serialised, found too big and sent as two halves
    const p = platform();
    const t = createTracker({ ...base, platform: p, flushBytes: 20000, flushAt: 1000 });
    for (let i = 0; i < 400; i++) t.track('bench_event', { i });
    await t.flush();
    const sizes = p.transport.bodies.map((b) => b.length);
    for (const n of sizes) expect(n).toBeLessThanOrEqual(20000);
    for (const n of sizes.slice(0, -1)) expect(n).toBeGreaterThan(18000);
    expect(p.transport.sent.flatMap((b) => b.events).length).toBe(401);
  });

  it('keeps order and has at most one request in flight', async () => {
    let inFlight = 0;
    let most = 0;
    const transport = recorder();
    const send = transport.send;
    transport.send = async (body) => {
      most = Math.max(most, ++inFlight);
      await new Promise((r) => setTimeout(r, 100));
      inFlight--;
      return send(body);
    };
    const t = createTracker({ ...base, platform: platform({ transport }), flushAt: 3 });
    steps(t, 11);
    void t.flush();
    await tick(2000);
    expect(most).toBe(1);
    const keys = transport.sent.flatMap((b) => b.events).map((e) => (e as { stepKey?: string }).stepKey);
    expect(keys).toEqual([undefined, ...Array.from({ length: 11 }, (_, i) => 's' + i)]);
  });

  it('track() only buffers: nothing is serialised or sent before a flush', async () => {
    const p = platform();
    const stringify = vi.spyOn(JSON, 'stringify');
    const t = createTracker({ ...base, platform: p });
    stringify.mockClear();
    steps(t, 5);
    expect(stringify).not.toHaveBeenCalled();
    stringify.mockRestore();
  });
});

describe('sessions and ids', () => {
  it('keeps the session across a reload and rolls it over after inactivity', async () => {
    const storage = createMemoryStorage();
    const p = platform({ storage });
    const t1 = createTracker({ ...base, platform: p, sessionTimeout: 60_000 });
    const first = t1.sessionId;
    await tick(10_000);
    t1.track('step_view', { stepKey: 'a' });
    await t1.shutdown();

    const t2 = createTracker({ ...base, platform: p, sessionTimeout: 60_000 }); // a reload
    expect(t2.sessionId).toBe(first);
    expect(t2.clientId).toBe(t1.clientId);
    await tick(61_000);
    t2.track('step_view', { stepKey: 'b' });
    await t2.flush();
    const events = p.transport.sent.flatMap((b) => b.events);
    const end = events.find((e) => e._tag == 'session_end');
    expect(end).toMatchObject({ sessionId: first, completed: false, durationMs: 10_000 });
    const starts = events.filter((e) => e._tag == 'session_start');
    expect(starts).toHaveLength(2);
    expect(starts[1]!.sessionId).toBe(t2.sessionId);
    expect(t2.sessionId).not.toBe(first);
    expect(events.at(-1)).toMatchObject({ stepKey: 'b', sessionId: t2.sessionId });
  });

  it('reads storage only on the rare path and writes session activity once per batch, never per event', async () => {
    const storage = createMemoryStorage();
    const get = vi.spyOn(storage, 'get');
    const set = vi.spyOn(storage, 'set');
    const t = createTracker({ ...base, platform: platform({ storage }) });
    get.mockClear();
    set.mockClear();
    for (let i = 0; i < 100; i++) t.track('step_view', { stepKey: 'x' });
    expect(get).not.toHaveBeenCalled();
    expect(set).not.toHaveBeenCalled(); // the start's delivery is under way: the buffer grows meanwhile
    await t.flush();
    expect(set.mock.calls.map((c) => c[0])).toEqual(['wm_sid']);
  });

  it('keeps tracking when storage throws, with ids in memory', async () => {
    const boom = () => {
      throw new Error('SecurityError');
    };
    const p = platform({ storage: { get: boom, set: boom, remove: boom } });
    const t = createTracker({ ...base, platform: p });
    expect(t.track('step_view', { stepKey: 'a' })).not.toBeNull();
    t.optOut();
    expect(t.track('step_view', { stepKey: 'b' })).toBeNull();
    t.optIn();
    t.track('step_view', { stepKey: 'c' });
    await t.flush();
    const events = p.transport.sent.flatMap((b) => b.events);
    // opting in again starts a new session
    expect(events.map((e) => `${e._tag}:${(e as { stepKey?: string }).stepKey ?? ''}`)).toEqual(['session_start:', 'step_view:c']);
    expect(new Set(events.map((e) => e.clientId)).size).toBe(1);
  });
});

describe('consent and privacy', () => {
  it('optOut() drops the buffer and persists; optIn() resumes', async () => {
    const storage = createMemoryStorage();
    const p = platform({ storage });
    const t = createTracker({ ...base, platform: p });
    t.track('step_view', { stepKey: 'a' });
    t.optOut();
    expect(t.optedOut).toBe(true);
    await t.flush();
    expect(p.transport.sent).toHaveLength(0);
    const again = createTracker({ ...base, platform: p });
    expect(again.optedOut).toBe(true);
    expect(again.track('step_view', { stepKey: 'b' })).toBeNull();
    again.optIn();
    expect(createTracker({ ...base, platform: p }).optedOut).toBe(false);
  });

  it('optOut() forgets the stored batches, also one a request in flight puts back, and sends nothing at start-up', async () => {
    const storage = createMemoryStorage();
    const queueStore = createMemoryQueueStore();
    let release!: (r: { status: 'retryable'; reason: string }) => void;
    const p = platform({ storage, queueStore, transport: recorder([() => new Promise((r) => (release = r))]) });
    const t = createTracker({ ...base, platform: p });
    t.track('first');
    const inFlight = t.flush(); // stored, then on its way …
    await tick();
    expect(await queueStore.list()).toHaveLength(1);
    t.optOut(); // … when the visitor opts out; the collector then refuses it for now
    release({ status: 'retryable', reason: 'http_503' });
    await inFlight;
    await t.flush();
    expect(await queueStore.list()).toEqual([]);
    const sent = p.transport.sent.length;
    // a reload: the opted-out visitor's tracker sends nothing, not even what an earlier page left
    await queueStore.put({ key: 'k', body: '{"events":[]}', count: 1, createdAt: Date.now(), attempts: 1, notBefore: 0 });
    const again = createTracker({ ...base, platform: p });
    await tick(60_000);
    await again.flush();
    expect(p.transport.sent).toHaveLength(sent);
    expect(await queueStore.list()).toEqual([]);
  });

  it('tracking session_end ends the session: the next event starts a new one, and no timeout ends it again', async () => {
    const p = platform({ storage: createMemoryStorage() });
    const t = createTracker({ ...base, platform: p, sessionTimeout: 60_000 });
    const first = t.sessionId;
    t.track('session_end', { completed: true, durationMs: 5 });
    await tick(120_000);
    const next = t.track('later')!;
    await t.flush();
    expect(next.sessionId).not.toBe(first);
    const events = p.transport.sent.flatMap((b) => b.events);
    expect(events.filter((e) => e._tag == 'session_end').map((e) => [e.sessionId, (e as { completed?: boolean }).completed])).toEqual([[first, true]]);
    expect(events.filter((e) => e.sessionId == next.sessionId).map((e) => e._tag)).toEqual(['session_start', 'later']);
    // a new tracker on the same storage (a reload) does not revive the ended session
    expect(createTracker({ ...base, platform: p }).sessionId).toBe(next.sessionId);
  });

  it('after session_end the very next event starts a new session (storage does not revive the ended one)', () => {
    const t = createTracker({ ...base, platform: platform({ storage: createMemoryStorage() }) });
    const first = t.sessionId;
    t.track('session_end', { completed: true, durationMs: 5 });
    expect(t.track('next')!.sessionId).not.toBe(first);
  });

  it('honours GPC by default and DNT when asked; an explicit opt-in wins', () => {
    const gpc = platform({ privacySignals: () => ({ globalPrivacyControl: true }), storage: createMemoryStorage() });
    expect(createTracker({ ...base, platform: gpc }).optedOut).toBe(true);
    expect(createTracker({ ...base, platform: gpc, respectGlobalPrivacyControl: false }).optedOut).toBe(false);
    const dnt = platform({ privacySignals: () => ({ doNotTrack: true }) });
    expect(createTracker({ ...base, platform: dnt }).optedOut).toBe(false);
    expect(createTracker({ ...base, platform: dnt, respectDoNotTrack: true }).optedOut).toBe(true);
    const t = createTracker({ ...base, platform: gpc });
    t.optIn();
    expect(createTracker({ ...base, platform: gpc }).optedOut).toBe(false);
  });

  it('beforeSend redacts, and null (or a throw) drops', async () => {
    const p = platform();
    const drops: string[] = [];
    const t = createTracker({
      ...base,
      platform: p,
      beforeSend: (e) => {
        if (e._tag == 'secret') return null;
        if (e._tag == 'bad') throw new Error('bug');
        return { ...e, url: e.url.replace(/\?.*/, '') };
      },
    });
    t.on('drop', (d) => drops.push(d.reason));
    t.track('secret');
    t.track('bad');
    t.track('step_view', { stepKey: 'a' });
    await t.flush();
    expect(tags(p.transport.sent[0]!)).toEqual(['session_start', 'step_view']);
    expect(drops).toEqual(['before_send', 'before_send']);
  });
});

describe('debug, plugins, errors', () => {
  it('logs the documented lines with the [JourneyEmbed] prefix in debug, nothing otherwise', async () => {
    const lines: string[] = [];
    const c = { log: (m: string) => lines.push(m), warn: (m: string) => lines.push(m) };
    const t = createTracker({ ...base, platform: platform({ console: c }), debug: true });
    for (let i = 0; i < 4; i++) t.track('step_view', { stepKey: 'eligibility-check' });
    await t.flush();
    expect(lines).toEqual([
      `[JourneyEmbed] session_start: ${t.sessionId}`,
      ...Array(4).fill('[JourneyEmbed] step_view: eligibility-check'),
      '[JourneyEmbed] Flushing 5 events to API',
    ]);
    const quiet: string[] = [];
    const q = createTracker({ ...base, platform: platform({ console: { log: (m: string) => quiet.push(m), warn: (m: string) => quiet.push(m) } }) });
    q.track('step_view', { stepKey: 'x' });
    await q.flush();
    expect(quiet).toEqual([]);
  });

  it("logs a refused batch with the HTTP status and the collector's JSON reason", async () => {
    const lines: string[] = [];
    const reason = '{"error":{"code":"origin_not_allowed","message":"origin \\"https://evil.example\\" is not allowed"}}';
    const fetch = async () => new Response(reason, { status: 403, headers: { 'content-type': 'application/json' } });
    const transport = createFetchTransport({ endpoint: base.endpoint, fetch: fetch as never });
    const t = createTracker({ ...base, debug: true, platform: { ...platform({ console: { log: (m: string) => lines.push(m), warn: () => {} } }), transport } });
    t.track('step_view', { stepKey: 'a' });
    await t.flush();
    expect(lines).toContain(`[JourneyEmbed] rejected 2 http_403 ${reason}`);
  });

  it('runs plugins with teardown, emits tracker events, and never throws into the host', async () => {
    const seen: string[] = [];
    const t = createTracker({
      ...base,
      platform: platform({
        location: () => {
          throw new Error('no location');
        },
      }),
      plugins: [
        {
          name: 'p',
          setup: (tr) => {
            tr.on('event', (e) => seen.push(e._tag));
            tr.on('event', () => {
              throw new Error('listener bug');
            });
            return () => seen.push('teardown');
          },
        },
        { name: 'broken', setup: () => { throw new Error('setup bug'); } },
      ],
    });
    expect(() => t.track('step_view', { stepKey: 'a' })).not.toThrow();
    expect(t.track('step_view', { stepKey: 'a' })).toBeNull();
    await t.shutdown();
    expect(seen).toContain('teardown');
  });

  it('reports sends and new sessions to listeners', async () => {
    const p = platform();
    const t = createTracker({ ...base, platform: p });
    const sends: unknown[] = [];
    t.on('send', (s) => sends.push(s));
    const off = t.on('session', () => {});
    off();
    t.track('step_view', { stepKey: 'a' });
    await t.flush();
    expect(sends).toEqual([{ count: 2, result: { status: 'delivered' }, beacon: false }]);
  });
});
